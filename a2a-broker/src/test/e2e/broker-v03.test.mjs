// The e2e flows with the SDK's v0.3 compat client (JsonRpcTransportFactory legacyCompat -> LegacyJsonRpcTransport, 0.3 card).
import { clientFlows } from './flows.mjs';

clientFlows({ legacy: true });
