import { parentPort, workerData } from 'node:worker_threads';
import { SeverityModel } from './severity-model.js';
import { SeverityPrior } from './severity-prior.js';

/** The worker of WorkerSeverityFitter: fits models and answers with their fitted parts. */
const prior = new SeverityPrior((workerData as { prior: ConstructorParameters<typeof SeverityPrior>[0] }).prior);

parentPort!.on('message', (message: { id: number; history: Parameters<typeof SeverityModel.train>[0]; options: Parameters<typeof SeverityModel.train>[2] }) => {
  try {
    const { fit } = SeverityModel.train(message.history, prior, message.options);
    parentPort!.postMessage({ id: message.id, fit });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
