// Prometheus metrics of one kumod (prom-client): API requests by operation and status, their
// latency, tasks by outcome and duration, and — read from the inventory at each scrape — instances
// by status and hosts by health. Operation labels come from the route table only, so a caller
// cannot grow the label set; everything unrouted is `unrouted`.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the inventory gauges read at scrape time. */
export interface MetricSources {
  instancesByStatus(): Promise<{ status: string; count: number }[]>;
  hostsByHealth(): Promise<{ health: string; count: number }[]>;
}

/** The metrics registry of one process. */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'code'>;
  private readonly latency: Histogram<'operation'>;
  private readonly tasks: Counter<'task' | 'outcome'>;
  private readonly taskSeconds: Histogram<'task'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'kumo_' });
    this.requests = new Counter({
      name: 'kumo_http_requests_total',
      help: 'API requests by operation and HTTP status',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'kumo_http_request_duration_seconds',
      help: 'API request latency by operation',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    this.tasks = new Counter({
      name: 'kumo_tasks_total',
      help: 'Instance tasks run by this kumod, by outcome (done, failed, fenced, retry)',
      labelNames: ['task', 'outcome'],
      registers,
    });
    this.taskSeconds = new Histogram({
      name: 'kumo_task_duration_seconds',
      help: 'Duration of instance task runs',
      labelNames: ['task'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers,
    });
    new Gauge({
      name: 'kumo_instances',
      help: 'Instances in the inventory by status (all accounts)',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        for (const r of await sources.instancesByStatus()) this.set({ status: r.status }, r.count);
      },
    });
    new Gauge({
      name: 'kumo_hosts',
      help: 'Registered hosts by health',
      labelNames: ['health'],
      registers,
      async collect() {
        this.reset();
        for (const r of await sources.hostsByHealth()) this.set({ health: r.health }, r.count);
      },
    });
  }

  /** One finished API request. */
  observeRequest(r: { operation?: string | undefined; httpStatus: number; seconds: number }): void {
    const operation = r.operation ?? 'unrouted';
    this.requests.inc({ operation, code: String(r.httpStatus) });
    this.latency.observe({ operation }, r.seconds);
  }

  /** One finished task run. */
  observeTask(task: string, outcome: 'done' | 'failed' | 'fenced' | 'retry', seconds: number): void {
    this.tasks.inc({ task, outcome });
    this.taskSeconds.observe({ task }, seconds);
  }

  /** The text exposition format. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
