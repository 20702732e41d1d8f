// Servers under test run in child processes, so the RSS we read is theirs alone and the load
// generator (autocannon, in the parent) does not share their event loop.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * @typedef {object} Child
 * @property {string} url base URL on loopback
 * @property {number} pid
 * @property {() => number} rssMb resident set size now (VmRSS), in MiB
 * @property {() => Promise<void>} stop SIGTERM, then SIGKILL after 10 s
 */

/**
 * Start `node <script>` and wait for the first stdout line, a JSON object with `url`.
 * @param {string} script path of the server script
 * @param {Record<string, string>} env added to the parent's environment
 * @param {string[]} [nodeArgs] e.g. `--cpu-prof`
 * @param {number} [timeoutMs]
 * @returns {Promise<Child>}
 */
export async function startChild(script, env, nodeArgs = [], timeoutMs = 60_000) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  /** @type {{ url: string }} */
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print its URL within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${script} printed "${line}" instead of {"url": ...}`));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready`));
    });
  });
  // Anything printed later is passed through, so a crash is visible.
  lines.on('line', (line) => process.stdout.write(`[${basename(script)}] ${line}\n`));
  const pid = /** @type {number} */ (child.pid);
  return {
    url: ready.url,
    pid,
    rssMb: () => rssMb(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * VmRSS of a process in MiB (Linux), 0 when it cannot be read.
 * @param {number} pid
 */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

/**
 * CPU time the process has used so far (user + system), in ms, from `/proc/<pid>/stat`; 0 when
 * unreadable. In clock ticks of 10 ms: over a run of thousands of requests, precise enough.
 * @param {number} pid
 */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
