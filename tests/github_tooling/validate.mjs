// GitHub's own workflow validator (@actions/languageservice, the engine of its editor support),
// offline: schema, unknown keys, contexts and named values, `needs`, expression syntax, and the
// inputs of local reusable workflows and actions (read from the repository each file is in).
//
// argv: workflow or action files; stdout: {path: [{line, column, message, severity}]}, lines and
// columns from 1. Run as `node --import ./register-json-hooks.mjs validate.mjs FILE...`.
import { registerLogger, validate } from "@actions/languageservice";
import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";

const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "hint" };

// `uses: ./.github/...` is relative to the repository's root: the folder holding `.github`.
function repositoryRoot(path) {
  const at = path.lastIndexOf(`${sep}.github${sep}`);
  return at < 0 ? resolve(path, "..") : path.slice(0, at);
}

// The validator catches its own crashes and only logs them: report them as errors of the file,
// or a file it could not check would pass.
let crashes = [];
registerLogger({ log() {}, info() {}, warn() {}, error: message => crashes.push(message) });

const report = {};
for (const argument of process.argv.slice(2)) {
  crashes = [];
  const path = resolve(argument);
  const root = repositoryRoot(path);
  const fileProvider = {
    async getFileContent(ref) {
      if (ref.repository) throw new Error(`${ref.owner}/${ref.repository} is another repository (offline)`);
      const file = resolve(root, ref.path);
      return { name: file, content: await readFile(file, "utf8") };
    },
  };
  const document = TextDocument.create(pathToFileURL(path).href, "yaml", 1, await readFile(path, "utf8"));
  const diagnostics = await validate(document, { fileProvider });
  report[argument] = diagnostics.map(d => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    message: d.message,
    severity: SEVERITY[d.severity ?? 1],
  }));
  report[argument].push(...crashes.map(message => ({ line: 1, column: 1, message: `validator: ${message}`, severity: "error" })));
}
process.stdout.write(JSON.stringify(report));
