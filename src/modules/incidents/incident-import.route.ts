import express, { NextFunction, Request, Response, Router } from 'express';
import { AppError } from '../../core/errors.js';
import { parseCsv } from '../../core/csv.js';

export const INCIDENT_IMPORT_PATH = '/api/v1/incidents/import';

/**
 * The file bodies of `POST /api/v1/incidents/import`: NDJSON and CSV (and a bare JSON array) are turned into the
 * `{"rows": [...]}` body of the importIncidents mutation, which the REST boundary then runs like any other route
 * (authentication, roles, audit, errors); a JSON object goes through untouched (docs/DECISIONS.md). A line or record
 * that cannot be read becomes a row that says so, reported with its number like any other bad row.
 */
export function incidentImportBodies(bodyLimit: string): Router {
  const router = express.Router();
  router.post(
    INCIDENT_IMPORT_PATH,
    express.text({ type: () => true, limit: bodyLimit }),
    (req: Request, _res: Response, next: NextFunction) => {
      try {
        const body = typeof req.body === 'string' ? req.body : '';
        const type = (req.get('content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
        let parsed: unknown;
        if (type === 'text/csv') {
          parsed = { rows: csvRows(body) };
        } else if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/ndjson') {
          parsed = { rows: ndjsonRows(body) };
        } else if (type === 'application/json' || type.endsWith('+json')) {
          try {
            parsed = body.trim() ? JSON.parse(body) : undefined;
          } catch {
            throw new AppError('VALIDATION_FAILED', 'The request body is not valid JSON');
          }
          if (Array.isArray(parsed)) parsed = { rows: parsed };
        } else {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            'Send application/json (an array or {"rows": [...]}), application/x-ndjson or text/csv',
          );
        }
        // The body is read: the JSON parser of the REST boundary leaves it as it is.
        req.body = parsed;
        next();
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

function ndjsonRows(body: string): unknown[] {
  return body
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { _invalid: `line ${i + 1} is not JSON` };
      }
    });
}

function csvRows(body: string): unknown[] {
  const records = parseCsv(body);
  if (records.length === 0) throw AppError.validation('body', 'the CSV has no header row');
  const header = records[0].map((h) => h.trim());
  if (!header.some((h) => h)) throw AppError.validation('body', 'the CSV header row is empty');
  return records
    .slice(1)
    .filter((r) => r.some((cell) => cell.trim() !== ''))
    .map((record) =>
      record.length > header.length
        ? { _invalid: `has ${record.length} fields where the header has ${header.length}` }
        : Object.fromEntries(header.map((h, j) => [h, record[j] ?? ''])),
    );
}
