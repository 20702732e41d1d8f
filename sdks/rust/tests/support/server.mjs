// Runs the Gatehouse CLI (`start`) in this process for the Rust tests (tests/common/mod.rs).
// It exits when its stdin closes, which happens when the test binary ends however it ends
// (a Rust static is never dropped, and a panic or a kill skips destructors), and then
// removes the data directory it was given.
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [cli, dataDir] = process.argv.slice(2);
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

process.argv = [process.argv[0], cli, 'start'];
await import(pathToFileURL(cli).href);
