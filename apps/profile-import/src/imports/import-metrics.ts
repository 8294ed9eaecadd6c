import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@optimove/observability';
import type { ImportEntity } from '../database/entities/import.entity';

/** Prometheus series of the imports, on the app's registry (`/metrics`). */
export class ImportMetrics {
  private readonly imports: Counter<'dataset' | 'status'>;
  private readonly rows: Counter<'dataset' | 'outcome'>;
  private readonly duration: Histogram<'dataset'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.imports = new Counter({ name: 'profile_imports_total', help: 'Finished imports by dataset and status', labelNames: ['dataset', 'status'], registers });
    this.rows = new Counter({ name: 'profile_import_rows_total', help: 'Rows of finished imports by dataset and outcome (loaded, rejected)', labelNames: ['dataset', 'outcome'], registers });
    this.duration = new Histogram({
      name: 'profile_import_duration_seconds',
      help: 'Duration of applied imports by dataset',
      labelNames: ['dataset'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    });
  }

  record(record: ImportEntity): void {
    this.imports.inc({ dataset: record.dataset, status: record.status });
    this.rows.inc({ dataset: record.dataset, outcome: 'loaded' }, record.rowsLoaded);
    this.rows.inc({ dataset: record.dataset, outcome: 'rejected' }, record.rowsRejected);
    if (record.status === 'applied' && record.finishedAt) {
      this.duration.observe({ dataset: record.dataset }, (record.finishedAt.getTime() - record.startedAt.getTime()) / 1000);
    }
  }
}
