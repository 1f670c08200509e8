// ESLint through its Node API, in a process of its own: jest's module runtime cannot load the ESM config file
// (eslint.config.mjs) that ESLint imports. Reads a request as JSON from argv[2]: `{ "files": [...] }` lints files,
// `{ "text": "...", "filePath": "..." }` lints a text as that file. Prints the errors as JSON on stdout.
import { ESLint } from 'eslint';

const request = JSON.parse(process.argv[2]);
const eslint = new ESLint({ cwd: process.cwd() });
const results = request.files
  ? await eslint.lintFiles(request.files)
  : await eslint.lintText(request.text, { filePath: request.filePath });
const errors = results.flatMap((result) =>
  result.messages
    .filter((m) => m.severity === 2)
    .map((m) => ({ filePath: result.filePath, line: m.line, ruleId: m.ruleId, message: m.message })),
);
process.stdout.write(JSON.stringify(errors));
