// The SDK agent of the a2a bench, in its own process (so it does not share an event loop with the load driver).
// Prints its JSON-RPC URL on stdout, then serves until killed.
import { startAgent } from '../../a2a-broker/src/test/e2e/lib.mjs';

const agent = await startAgent(`bench-agent-${process.pid}`);
process.stdout.write(`${agent.url}\n`);
process.on('SIGTERM', async () => { await agent.close(); process.exit(0); });
