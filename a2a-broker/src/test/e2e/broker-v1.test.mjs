// The e2e flows with the SDK's native A2A 1.0 JSON-RPC client.
import { clientFlows } from './flows.mjs';

clientFlows({ legacy: false });
