import { join } from 'node:path';
import { emitSchemaFile, getSchema } from '../src/app/schema.js';

/** Writes schema.graphql at the project root from the code (run from dist/ after a build). */
getSchema()
  .then((schema) => {
    emitSchemaFile(schema, join(__dirname, '..', '..', 'schema.graphql'));
    console.log('schema.graphql written');
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
