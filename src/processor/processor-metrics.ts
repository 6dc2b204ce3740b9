/** Self-metrics of the processor, in the semantic-convention names; no-ops without a MeterProvider. */
import {
  createNoopMeter,
  type Attributes,
  type MeterProvider,
  type ObservableCallback,
  type ObservableUpDownCounter,
  type Counter,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_OTEL_COMPONENT_NAME,
  ATTR_OTEL_COMPONENT_TYPE,
  COMPONENT_TYPE_PROCESSOR,
  METRIC_OTEL_SDK_PROCESSOR_LOG_PROCESSED,
  METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_CAPACITY,
  METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_SIZE,
  nextComponentName,
} from '../telemetry/semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';

export class ProcessorMetrics {
  private readonly _processed: Counter;
  private readonly _queueSize: ObservableUpDownCounter;
  private readonly _queueCapacity: ObservableUpDownCounter;
  private readonly _sizeCallback: ObservableCallback;
  private readonly _capacityCallback: ObservableCallback;
  private readonly _attrs: Attributes;

  constructor(meterProvider: MeterProvider | undefined, capacity: number, getQueueSize: () => number) {
    const meter = meterProvider ? meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION) : createNoopMeter();
    this._attrs = {
      [ATTR_OTEL_COMPONENT_TYPE]: COMPONENT_TYPE_PROCESSOR,
      [ATTR_OTEL_COMPONENT_NAME]: nextComponentName(COMPONENT_TYPE_PROCESSOR),
    };
    this._processed = meter.createCounter(METRIC_OTEL_SDK_PROCESSOR_LOG_PROCESSED, {
      unit: '{log_record}',
      description: 'Log records whose processing finished, successfully or not (error.type says why not).',
    });
    this._queueSize = meter.createObservableUpDownCounter(METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_SIZE, {
      unit: '{log_record}',
      description: 'Log records waiting in the queue of the processor.',
    });
    this._queueCapacity = meter.createObservableUpDownCounter(METRIC_OTEL_SDK_PROCESSOR_LOG_QUEUE_CAPACITY, {
      unit: '{log_record}',
      description: 'Log records the queue of the processor can hold.',
    });
    this._sizeCallback = (r) => r.observe(getQueueSize(), this._attrs);
    this._capacityCallback = (r) => r.observe(capacity, this._attrs);
    this._queueSize.addCallback(this._sizeCallback);
    this._queueCapacity.addCallback(this._capacityCallback);
  }

  /** `count` records finished; `errorType` set when they were lost (queue_full, timeout, …). */
  processed(count: number, errorType?: string): void {
    if (count <= 0) return;
    this._processed.add(count, errorType ? { ...this._attrs, [ATTR_ERROR_TYPE]: errorType } : this._attrs);
  }

  shutdown(): void {
    this._queueSize.removeCallback(this._sizeCallback);
    this._queueCapacity.removeCallback(this._capacityCallback);
  }
}
