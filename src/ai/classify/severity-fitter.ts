import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { DatabaseHistory, historyClient, pgStatements } from './database-history.js';
import type { NeighbourIndexParts } from './lexical-neighbours.js';
import type { OrganizationFit, OrganizationFitRequest, SeverityFitter } from './classifier-types.js';
import { HistoryIncident, SeverityFit, SeverityModel, SeverityModelOptions, slimIncident } from './severity-model.js';
import { SeverityPrior } from './severity-prior.js';

/**
 * What the worker answers: the fitted parts and, for a fit of an organization it read itself, its neighbour index and
 * history.
 */
interface FitAnswer {
  fit: SeverityFit;
  index?: NeighbourIndexParts;
  /** In the order read; without the texts (slimIncident) when beyond what the classifier keeps. */
  history?: HistoryIncident[];
}

interface Waiting {
  resolve: (answer: FitAnswer) => void;
  reject: (error: Error) => void;
}

interface WorkerSettings {
  severityFitPrior: SeverityPrior['artefact'];
  /** The connection string the worker reads organizations' histories with (fitOrganization). */
  database?: string;
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

  /** `database`: where fitOrganization reads, with a connection of the worker's own. */
  constructor(
    private readonly prior: SeverityPrior,
    private readonly script: string,
    private readonly database?: string,
  ) {}

  /**
   * The worker's script: this module, compiled (it is its own worker, so every build that uses it has it), or, when
   * the sources run as TypeScript (jest), the build's copy; null without one.
   */
  static script(): string | null {
    const compiled = join(__dirname, 'severity-fitter.js');
    if (existsSync(compiled)) return compiled;
    const built = join(__dirname, '..', '..', '..', 'dist', 'ai', 'classify', 'severity-fitter.js');
    return existsSync(built) ? built : null;
  }

  readonly fit: SeverityFitter = (history, options) =>
    this.ask({ history, options }).then(({ fit }) => SeverityModel.fromFit(history, this.prior, options, fit));

  /**
   * An organization's refit from its history read in the worker (its own connection, the organization's statements of
   * DatabaseHistory in a read-only transaction): the history's texts never reach this thread's heap, only the fitted
   * parts, the neighbour index (typed arrays, moved, not copied) and the incidents as the answers name them.
   */
  readonly fitOrganization = (organizationId: string, request: OrganizationFitRequest): Promise<OrganizationFit> => {
    if (!this.database) return Promise.reject(new Error('fitOrganization needs the database the worker reads from'));
    return this.ask({ organizationId, request }).then(({ fit, index, history }) => ({
      model: SeverityModel.fromFit(history!, this.prior, request.model, fit, index),
      history: history!.length <= request.keepHistoryUpTo ? history : undefined,
    }));
  };

  private ask(message: Record<string, unknown>): Promise<FitAnswer> {
    return new Promise<FitAnswer>((resolve, reject) => {
      const worker = this.start();
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  }

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
    const settings: WorkerSettings = { severityFitPrior: this.prior.artefact, database: this.database };
    const worker = new Worker(this.script, { workerData: settings });
    worker.on('message', (message: { id: number; answer?: FitAnswer; error?: string }) => {
      const waiting = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      // An idle worker is stopped: its heap still holds the fit's garbage (hundreds of MB after a 100 000-incident
      // organization), and starting one again costs milliseconds against a fit's seconds.
      if (!this.waiting.size) void this.stop(worker);
      if (!waiting) return;
      if (message.answer) waiting.resolve(message.answer);
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

type FitRequest =
  | { id: number; history: HistoryIncident[]; options: Partial<SeverityModelOptions> }
  | { id: number; organizationId: string; request: OrganizationFitRequest };

/** In the worker: fit what is asked and answer with the fitted parts. */
function serveFits(): void {
  const settings = workerData as WorkerSettings;
  const prior = new SeverityPrior(settings.severityFitPrior);
  parentPort!.on('message', (message: FitRequest) => {
    const answering =
      'organizationId' in message
        ? fitOrganization(message.organizationId, message.request)
        : Promise.resolve({ fit: SeverityModel.train(message.history, prior, message.options).fit });
    answering.then(
      (answer) => parentPort!.postMessage({ id: message.id, answer }, transferables(answer)),
      (error: unknown) =>
        parentPort!.postMessage({
          id: message.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });

  async function fitOrganization(organizationId: string, request: OrganizationFitRequest): Promise<FitAnswer> {
    const client = historyClient(settings.database!);
    await client.connect();
    let history: HistoryIncident[];
    try {
      await client.query('begin transaction read only');
      history = await new DatabaseHistory(() => pgStatements(client)).labelled(organizationId, request.historyLimit);
      await client.query('commit');
    } finally {
      await client.end();
    }
    const model = SeverityModel.train(history, prior, request.model);
    return {
      fit: model.fit,
      index: model.neighbourIndex,
      history: history.length <= request.keepHistoryUpTo ? history : history.map(slimIncident),
    };
  }
}

/** The answer's typed arrays' buffers, moved to the main thread rather than copied (each buffer once). */
function transferables(answer: FitAnswer): ArrayBuffer[] {
  const arrays = [
    answer.fit.regression?.weights,
    answer.fit.regression?.bias,
    answer.index?.idf,
    answer.index?.offsets,
    answer.index?.docs,
    answer.index?.weights,
  ];
  return [...new Set(arrays.filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer))];
}

if (!isMainThread && (workerData as Partial<WorkerSettings> | null)?.severityFitPrior) serveFits();
