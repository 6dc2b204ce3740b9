/** A pull reader over a real MeterProvider, so tests can read the self-metrics' values. */
import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> { return Promise.resolve(); }
  protected onShutdown(): Promise<void> { return Promise.resolve(); }
}

export interface MetricsHarness {
  meterProvider: MeterProvider;
  /** Data points of the named metric, attributes and value. */
  points(name: string): { attributes: Record<string, unknown>; value: unknown }[];
  /** Sum of the values of the named metric whose attributes contain `match`. */
  sum(name: string, match?: Record<string, unknown>): Promise<number>;
  collect(): Promise<void>;
}

export function metricsHarness(): MetricsHarness {
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  let last: { name: string; points: DataPoint<unknown>[] }[] = [];
  const h: MetricsHarness = {
    meterProvider,
    async collect() {
      const { resourceMetrics } = await reader.collect();
      last = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => ({ name: m.descriptor.name, points: m.dataPoints as DataPoint<unknown>[] })));
    },
    points(name) {
      return last.filter((m) => m.name === name).flatMap((m) => m.points.map((p) => ({ attributes: p.attributes, value: p.value })));
    },
    async sum(name, match = {}) {
      await h.collect();
      return h
        .points(name)
        .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
        .reduce((acc, p) => acc + (typeof p.value === 'number' ? p.value : 0), 0);
    },
  };
  return h;
}
