// One HTTP load with autocannon (in this process, on loopback), sampling the server's RSS and CPU time meanwhile.
import autocannon from 'autocannon';
import { cpuMs, rssMb } from './child.js';

/**
 * @param {object} options
 * @param {string} options.url
 * @param {import('./types.js').LoadRequests} options.requests
 * @param {number} options.connections
 * @param {number} options.duration seconds
 * @param {number} [options.pid] the server's pid, to sample VmRSS every 200 ms
 * @returns {Promise<import('./types.js').LoadFigures>}
 */
export async function load({ url, requests, connections, duration, pid }) {
  let rssLoadedMb = 0;
  const sampler = pid
    ? setInterval(() => {
        rssLoadedMb = Math.max(rssLoadedMb, rssMb(pid));
      }, 200)
    : undefined;
  const cpuBefore = pid ? cpuMs(pid) : 0;
  try {
    const result = await autocannon({ url, connections, duration, requests, timeout: 10 });
    const cpuUsed = pid ? cpuMs(pid) - cpuBefore : 0;
    return {
      // The server's own CPU per answer: unlike req/s, it hardly moves when other work shares the machine.
      cpuUsPerRequest: result.requests.total > 0 ? Math.round((cpuUsed * 1000) / result.requests.total) : 0,
      reqPerSec: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      rssLoadedMb,
    };
  } finally {
    clearInterval(sampler);
  }
}
