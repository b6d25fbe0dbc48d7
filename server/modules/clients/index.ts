/** The API clients module's public surface. */
export {
  type ActiveClient,
  API_SCOPES,
  createApiClient,
  findActiveClient,
  findClientName,
  isAllowedRedirectUri,
  listApiClients,
  revokeApiClient,
  verifyClientSecret,
} from './clients.service.ts';
