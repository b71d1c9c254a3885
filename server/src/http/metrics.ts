// Prometheus metrics (prom-client) on a registry per service instance, so tests can run several services at once.
import {Counter, collectDefaultMetrics, Histogram, Registry} from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly commands: Counter<'verb' | 'outcome'>;
  readonly rpc: Counter<'method' | 'outcome'>;
  readonly refusals: Counter<'reason'>;
  readonly accessProbes: Counter<'outcome'>;
  readonly steps: Counter<'provider' | 'state'>;
  readonly httpDuration: Histogram<'route' | 'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({register: registry, prefix: 'offboard_'});
  return {
    registry,
    commands: new Counter({name: 'offboard_commands_total', help: '/offboard commands handled',
      labelNames: ['verb', 'outcome'], registers: [registry]}),
    rpc: new Counter({name: 'offboard_rpc_total', help: 'RPC calls from the webapp', labelNames: ['method', 'outcome'],
      registers: [registry]}),
    refusals: new Counter({name: 'offboard_refusals_total', help: 'Requests refused by verification',
      labelNames: ['reason'], registers: [registry]}),
    // Every user's webapp asks once per session whether to show the plugin's entry points; a "no" is routine, so it
    // is counted here and not as a refusal (which stays a signal worth alerting on).
    accessProbes: new Counter({name: 'offboard_access_probes_total',
      help: "The plugin's per-session question whether the user may offboard (capabilities RPC)",
      labelNames: ['outcome'], registers: [registry]}),
    steps: new Counter({name: 'offboard_steps_total', help: 'Step state changes', labelNames: ['provider', 'state'],
      registers: [registry]}),
    httpDuration: new Histogram({name: 'offboard_http_request_duration_seconds', help: 'HTTP request duration',
      labelNames: ['route', 'status'], buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 30], registers: [registry]}),
  };
}
