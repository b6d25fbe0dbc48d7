/**
 * A small HTTP load generator for the benchmarks: `connections` keep-alive sockets (node:http
 * Agent), each sending one GET after the other for `seconds`, after a warm-up of its own. It runs in
 * a worker thread, so the server under test keeps the main thread's event loop to itself.
 * Reports requests per second and latency percentiles in milliseconds; any non-200 answer fails it.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** What to load, and how hard. */
export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

/** What a run measured. */
export interface LoadResult {
  requests: number;
  /** Requests answered during warm-up and measurement together (what the server's CPU time covers). */
  allRequests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  bytesPerResponse: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function once(agent: Agent, o: LoadOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(o.url, { agent, headers: o.headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${o.url} answered ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let bytes = 0;
  let all = 0;
  let measuring = false;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const t = performance.now();
      const n = await once(agent, o);
      all++;
      if (measuring) {
        latencies.push(performance.now() - t);
        bytes += n;
      }
    }
  };
  const loops = Array.from({ length: o.connections }, loop);
  await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    allRequests: all,
    perSecond: Math.round(sorted.length / elapsed),
    p50Ms: +percentile(sorted, 50).toFixed(2),
    p99Ms: +percentile(sorted, 99).toFixed(2),
    maxMs: +(sorted.at(-1) ?? 0).toFixed(2),
    bytesPerResponse: sorted.length ? Math.round(bytes / sorted.length) : 0,
  };
}

/** Runs the load in a worker thread and resolves with its numbers. */
export function load(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  run(workerData as LoadOptions).then(
    (r) => port.postMessage(r),
    (e: unknown) => {
      throw e;
    },
  );
}
