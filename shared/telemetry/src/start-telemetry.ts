import { basename } from 'node:path';
import { register as registerEsmHooks } from 'import-in-the-middle/register-hooks.mjs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

let sdk: NodeSDK | undefined;

const instrumentationNames = ['http', 'express', 'amqplib', 'ioredis', 'undici'] as const;
type InstrumentationName = (typeof instrumentationNames)[number];

/**
 * What a process leaves uninstrumented: OTEL_NODE_DISABLED_INSTRUMENTATIONS (the
 * name OpenTelemetry's Node auto-instrumentation reads: comma-separated, e.g.
 * `express,ioredis`), else the default.
 * - Not exporting: every instrumentation. No span is recorded, so wrapping every
 *   request, query and call to make one is pure cost (a third of the gateway's
 *   CPU, npm run bench:gateway). Trace ids still flow: http-kit continues the
 *   caller's traceparent (trace-context.ts), the outbox and the consumers carry
 *   it over the bus, and the gateway forwards it.
 * - Exporting: all of them, but the gateway leaves Express and Redis alone: its
 *   request span and the proxied call's span say all there is.
 */
function disabledInstrumentations(serviceName: string, exporting: boolean): Set<string> {
  const configured = process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS;
  if (configured !== undefined) return new Set(configured.split(',').map((name) => name.trim()).filter(Boolean));
  if (!exporting) return new Set(instrumentationNames);
  return new Set(serviceName === 'gateway' ? ['express', 'ioredis'] : []);
}

type Instrumentations = NonNullable<NonNullable<ConstructorParameters<typeof NodeSDK>[0]>['instrumentations']>;

function instrumentations(disabled: Set<string>): Instrumentations {
  const all: Record<InstrumentationName, () => Instrumentations[number]> = {
    http: () => new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url?.startsWith('/health') ?? false }),
    // A span per route handler and router, not per middleware: the request span
    // already covers those, and a span each would cost every request.
    express: () => new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    amqplib: () => new AmqplibInstrumentation(),
    ioredis: () => new IORedisInstrumentation(),
    // undici carries the gateway's proxied calls (and fetch): it injects traceparent.
    undici: () => new UndiciInstrumentation(),
  };
  return instrumentationNames.filter((name) => !disabled.has(name)).map((name) => all[name]());
}

/**
 * Trace context is always on, so every log line can carry a trace id; spans are
 * recorded, and leave the process, only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * ..._TRACES_ENDPOINT) is set.
 */
export function startTelemetry(options: { serviceName?: string } = {}): NodeSDK {
  if (sdk) return sdk;
  const serviceName = options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? basename(process.cwd());
  const exporting = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const enabled = instrumentations(disabledInstrumentations(serviceName, exporting));
  // ESM imports of these packages are hooked in-thread (module.registerHooks); the
  // include list keeps the loader away from everything else, our own .ts included.
  if (enabled.length > 0) registerEsmHooks({ include: ['express', 'amqplib', 'ioredis', 'http', 'https', 'node:http', 'node:https'] });

  sdk = new NodeSDK({
    serviceName,
    // With no processor at all NodeSDK registers no tracer provider, and spans would
    // have no ids; a no-op processor keeps ids in the logs without exporting.
    spanProcessors: [exporting ? new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }) : new NoopSpanProcessor()],
    // Not exporting: spans that nobody will read are not recorded (the messaging
    // kit's own consumer spans included). They still get ids, so logs carry trace
    // ids and traceparent still travels, unsampled. Exporting: OTEL_TRACES_SAMPLER
    // decides (parent-based, always on by default).
    ...(exporting ? {} : { sampler: new AlwaysOffSampler() }),
    // Metrics and logs would otherwise default to OTLP exporters: traces only, for now.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: enabled,
  });
  sdk.start();
  return sdk;
}

/**
 * Flushes spans still buffered and stops the SDK; a no-op when telemetry was not
 * started (a test importing a service without the preload). The lifecycle calls it
 * last, so spans of the shutdown itself are exported too.
 */
export async function shutdownTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
