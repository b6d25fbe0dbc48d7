/** The API clients module's public surface. */
export {
  type ActiveClient,
  API_SCOPES,
  createApiClient,
  findActiveClient,
  listApiClients,
  revokeApiClient,
  verifyClientSecret,
} from './clients.service.ts';
