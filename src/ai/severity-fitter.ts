import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { HistoryIncident, SeverityFit, SeverityModel, SeverityModelOptions } from './severity-model.js';
import { SeverityPrior } from './severity-prior.js';

/** Fits an organization's full model (the classifier's background refits). */
export type SeverityFitter = (history: HistoryIncident[], options: Partial<SeverityModelOptions>) => Promise<SeverityModel>;

interface Waiting {
  resolve: (fit: SeverityFit) => void;
  reject: (error: Error) => void;
}

/**
 * Fits in a worker thread, so that the seconds a large organization's fit takes (L-BFGS over thousands of incidents)
 * do not stop the event loop. The worker sends back the fitted parts (SeverityModel.fit) and the model is rebuilt
 * here from the same history (only the neighbour index, milliseconds). One worker per process, started when a fit is
 * asked, fitting one request after the other, and stopped when none is left.
 */
export class WorkerSeverityFitter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly prior: SeverityPrior, private readonly script: string) {}

  /**
   * The worker's script: this module, compiled (it is its own worker, so every build that uses it has it), or, when
   * the sources run as TypeScript (jest), the build's copy; null without one.
   */
  static script(): string | null {
    const compiled = join(__dirname, 'severity-fitter.js');
    if (existsSync(compiled)) return compiled;
    const built = join(__dirname, '..', '..', 'dist', 'ai', 'severity-fitter.js');
    return existsSync(built) ? built : null;
  }

  readonly fit: SeverityFitter = (history, options) =>
    new Promise<SeverityFit>((resolve, reject) => {
      const worker = this.start();
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, history, options });
    }).then((fit) => SeverityModel.fromFit(history, this.prior, options, fit));

  /** True while a worker thread exists (from a fit's request until no fit is waiting). */
  get running(): boolean {
    return this.worker !== null;
  }

  async close(): Promise<void> {
    if (this.worker) await this.stop(this.worker);
  }

  private async stop(worker: Worker): Promise<void> {
    if (this.worker === worker) this.worker = null;
    await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { severityFitPrior: this.prior.artefact } });
    worker.on('message', (message: { id: number; fit?: SeverityFit; error?: string }) => {
      const waiting = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      // An idle worker is stopped: its heap still holds the fit's garbage (hundreds of MB after a 100 000-incident
      // organization), and starting one again costs milliseconds against a fit's seconds.
      if (!this.waiting.size) void this.stop(worker);
      if (!waiting) return;
      if (message.fit) waiting.resolve(message.fit);
      else waiting.reject(new Error(message.error ?? 'severity fit failed'));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`the severity fit worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }
}

/** In the worker: fit what is asked and answer with the fitted parts. */
function serveFits(): void {
  const prior = new SeverityPrior((workerData as { severityFitPrior: SeverityPrior['artefact'] }).severityFitPrior);
  parentPort!.on('message', (message: { id: number; history: HistoryIncident[]; options: Partial<SeverityModelOptions> }) => {
    try {
      parentPort!.postMessage({ id: message.id, fit: SeverityModel.train(message.history, prior, message.options).fit });
    } catch (error) {
      parentPort!.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}

if (!isMainThread && (workerData as { severityFitPrior?: unknown } | null)?.severityFitPrior) serveFits();
