// GitHub's own workflow validator (@actions/languageservice, the engine of its editor support),
// offline: schema, unknown keys, contexts and named values, `needs`, expression syntax, and the
// inputs of local reusable workflows and actions (read from the repository each file is in).
//
// Run as `node --import ./tools/workflow-lint/register-json-hooks.mjs tools/workflow-lint/validate.mjs
// [--json] [FILE...]` (lint.sh does). Without files: every workflow and composite action under
// .github/ of the current directory. Prints `path:line:column: severity: message` per diagnostic
// and exits 1 when there is any; with --json prints {path: [{line, column, message, severity}]}
// (lines and columns from 1) and leaves the verdict to the caller.
import { registerLogger, validate } from "@actions/languageservice";
import { readFile, readdir } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";

const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "hint" };
const YAML = /\.ya?ml$/;

// `uses: ./.github/...` is relative to the repository's root: the folder holding `.github`.
function repositoryRoot(path) {
  const at = path.lastIndexOf(`${sep}.github${sep}`);
  return at < 0 ? resolve(path, "..") : path.slice(0, at);
}

async function listed(folder, recursive) {
  try {
    return (await readdir(folder, { recursive })).map(name => join(folder, name));
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
}

// The files GitHub reads: .github/workflows/*.y(a)ml and .github/actions/**/action.y(a)ml.
async function repositoryFiles() {
  const workflows = (await listed(join(".github", "workflows"), false)).filter(path => YAML.test(path));
  const actions = (await listed(join(".github", "actions"), true)).filter(path => /(^|[\\/])action\.ya?ml$/.test(path));
  return [...workflows.sort(), ...actions.sort()];
}

// The validator catches its own crashes and only logs them: report them as errors of the file,
// or a file it could not check would pass.
let crashes = [];
registerLogger({ log() {}, info() {}, warn() {}, error: message => crashes.push(message) });

const json = process.argv.includes("--json");
const files = process.argv.slice(2).filter(argument => argument !== "--json");
if (!files.length) files.push(...(await repositoryFiles()));
if (!files.length) {
  console.error("validate.mjs: no workflow files under .github/workflows to validate");
  process.exit(1);
}

const report = {};
for (const argument of files) {
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

if (json) {
  process.stdout.write(JSON.stringify(report));
} else {
  const found = Object.entries(report).flatMap(([path, items]) =>
    items.map(item => `${path}:${item.line}:${item.column}: ${item.severity}: ${item.message}`));
  for (const line of found) console.log(line);
  console.log(`GitHub's workflow validator: ${files.length} file(s), ${found.length} finding(s)`);
  process.exitCode = found.length ? 1 : 0;
}
