// First-push simulation: which jobs and steps of a repository's workflows run for an event, read
// with GitHub's own parser (@actions/workflow-parser) and decided with GitHub's own expression
// evaluator (@actions/expressions). Nothing is executed: every job or step that runs is assumed to
// succeed, and what a step prints to $GITHUB_OUTPUT comes from the request (`step_outputs`).
//
// stdin: {workflows: {path: text}, files: [path], scenarios: [Scenario]}; stdout: {results: [...]}.
// A Scenario: {id, event, payload, ref, sha, actor, vars, secrets, dependabot_secrets,
// environments: {name: {vars}}, repository: {owner, name, private, default_branch},
// changed_files, step_outputs: {workflow path: {job id: {step id: {name: value}}}}}.
// Run as `node --import <hook> simulate.mjs < request.json`, the hook being the generated project's
// tools/workflow-lint/register-json-hooks.mjs (tests/actions_tooling.py passes it).
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  parseWorkflow,
} from "@actions/workflow-parser";
import { readFileSync } from "node:fs";

const CONTEXTS = ["github", "env", "vars", "secrets", "inputs", "needs", "matrix", "strategy",
  "steps", "job", "jobs", "runner"];
const STATUS = ["success", "failure", "always", "cancelled"];
// Default activity types of the events that have them (GitHub's docs, "Events that trigger
// workflows"); an event missing here runs for every type.
const DEFAULT_TYPES = {
  pull_request: ["opened", "synchronize", "reopened"],
  pull_request_target: ["opened", "synchronize", "reopened"],
  workflow_run: ["completed", "requested"],
  merge_group: ["checks_requested"],
};
const RUNNER = { os: "Linux", arch: "X64", name: "GitHub Actions 1", environment: "github-hosted",
  temp: "/home/runner/work/_temp", tool_cache: "/opt/hostedtoolcache" };

// --- GitHub's filter patterns (branches, paths) and hashFiles globs --------------------------

function globRegex(pattern) {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
      if (pattern[i + 1] === "/") { source += "/?"; i++; } // `**/x` also matches `x`
    } else if (c === "*") source += "[^/]*";
    else if ("?+".includes(c)) source += c; // quantifiers of the preceding character, as in GitHub's
    else if (c === "[") { const end = pattern.indexOf("]", i); source += pattern.slice(i, end + 1); i = end; }
    else source += c.replace(/[.^$(){}|\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

// Later patterns win, and `!pattern` takes a match back out (GitHub's filter semantics).
function matchesAny(patterns, value) {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (globRegex(negated ? pattern.slice(1) : pattern).test(value)) matched = !negated;
  }
  return matched;
}

function filterVerdict(filter, include, ignore, values, what) {
  if (filter[include]) {
    return values.some(value => matchesAny(filter[include], value)) ? null : `no ${what} matches ${include}`;
  }
  if (filter[ignore]) {
    return values.every(value => matchesAny(filter[ignore], value)) ? `every ${what} matches ${ignore}` : null;
  }
  return null;
}

// --- expressions ---------------------------------------------------------------------------

function toData(value) {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver);
}

function toPlain(value) {
  return JSON.parse(JSON.stringify(value, data.replacer));
}

// GitHub's truthiness: the evaluator leaves it to the caller, and coerceString(false) is "false".
function truthy(value) {
  switch (value.kind) {
    case data.Kind.Null: return false;
    case data.Kind.Boolean: return value.value;
    case data.Kind.Number: return value.number() !== 0 && !Number.isNaN(value.number());
    case data.Kind.String: return value.coerceString() !== "";
    default: return true;
  }
}

function functions(status, files) {
  const fn = (name, minArgs, maxArgs, call) => [name.toLowerCase(), { name, minArgs, maxArgs, call }];
  const bool = value => () => new data.BooleanData(value);
  return new Map([
    fn("success", 0, 0, bool(status.success)),
    fn("failure", 0, 0, bool(status.failure)),
    fn("always", 0, 0, bool(true)),
    fn("cancelled", 0, 0, bool(false)),
    // Only whether any file matches matters to a condition: '' when none does.
    fn("hashFiles", 1, 255, (...patterns) => {
      const globs = patterns.map(p => p.coerceString());
      return new data.StringData(files.some(file => matchesAny(globs, file)) ? "0".repeat(64) : "");
    }),
  ]);
}

function evaluate(expression, context) {
  const tokens = new Lexer(expression).lex().tokens;
  const infos = [...context.functions.values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
  const tree = new Parser(tokens, CONTEXTS, infos).parse();
  return new Evaluator(tree, context.data, context.functions).evaluate();
}

// Contexts are converted once per object: the simulation never changes one after making it
// (a step's `steps` and `env` are new objects), and most are shared by every step of a job.
const converted = new WeakMap();

function contextData(value) {
  if (!converted.has(value)) converted.set(value, toData(value));
  return converted.get(value);
}

// Every context name is present (an absent one makes the evaluator throw, not read null).
function makeContext(values, status, files) {
  const pairs = CONTEXTS.map(key => ({ key, value: contextData(values[key] ?? {}) }));
  return { data: new data.Dictionary(...pairs), functions: functions(status, files) };
}

// A template token as plain JSON, its expressions evaluated.
function evaluateToken(token, context) {
  if (!token) return null;
  if (isBasicExpression(token)) return toPlain(evaluate(token.expression, context));
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map(item => evaluateToken(item, context));
  if (isMapping(token)) {
    return Object.fromEntries([...token].map(({ key, value }) =>
      [String(evaluateToken(key, context)), evaluateToken(value, context)]));
  }
  return null;
}

function asText(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function sourceText(token) {
  if (!token) return "";
  if (isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  return isString(token) || isNumber(token) || isBoolean(token) ? String(token.value) : "";
}

// Every `vars.X` / `secrets.X` an expression reads, from its syntax tree.
function references(token, found = { vars: new Set(), secrets: new Set() }) {
  if (!token) return found;
  if (isBasicExpression(token)) {
    const walk = node => {
      if (!node || typeof node !== "object") return;
      if (node.expr?.name && node.index?.literal !== undefined) {
        const context = node.expr.name.lexeme;
        if (context === "vars" || context === "secrets") found[context].add(node.index.literal.coerceString());
      }
      for (const child of [node.expr, node.index, node.left, node.right, node.group, ...(node.args ?? [])]) walk(child);
    };
    walk(new Parser(new Lexer(token.expression).lex().tokens, CONTEXTS,
      [...STATUS, "hashFiles"].map(name => ({ name, minArgs: 0, maxArgs: 255 }))).parse());
  } else if (isSequence(token)) for (const item of token) references(item, found);
  else if (isMapping(token)) for (const { value } of token) references(value, found);
  return found;
}

// What a job or step reads, and which of it the run does not have (unset or empty).
function readings(found, context) {
  const names = kind => [...found[kind]].sort();
  const unset = kind => names(kind).filter(name =>
    !Object.keys(context[kind]).some(key => key.toLowerCase() === name.toLowerCase() && context[kind][key] !== ""));
  return { references: { vars: names("vars"), secrets: names("secrets") }, unset: { vars: unset("vars"), secrets: unset("secrets") } };
}

// --- workflows -----------------------------------------------------------------------------

const parsed = new Map();

async function load(path, workflows) {
  if (!parsed.has(path)) {
    if (!(path in workflows)) throw new Error(`${path} is not in the request's workflows`);
    const result = parseWorkflow({ name: path, content: workflows[path] }, new NoOperationTraceWriter());
    const template = result.value && (await convertWorkflowTemplate(result.context, result.value));
    const errors = result.context.errors.getErrors().map(e => e.message);
    if (errors.length || !template) throw new Error(`${path}: ${errors.join("; ") || "cannot parse"}`);
    parsed.set(path, { root: result.value, template, name: result.value.find("name")?.value ?? path });
  }
  return parsed.get(path);
}

// The converted template drops a step's `with:`; read it from the workflow's own mapping.
function rawSteps(root, jobId) {
  const steps = root.find("jobs")?.find(jobId)?.find("steps");
  return steps ? [...steps] : [];
}

// The runs an event starts for one workflow: [] with a reason when its `on:` does not match.
function triggers(workflow, scenario) {
  const on = workflow.template.events;
  const event = scenario.event;
  if (!(event in on)) return { runs: [], reason: `on: has no ${event}` };
  const filter = on[event] ?? {};
  const payload = scenario.payload ?? {};
  const types = filter?.types ?? DEFAULT_TYPES[event];
  if (types && payload.action && !types.includes(payload.action)) {
    return { runs: [], reason: `${event} type ${payload.action} is not in types [${types}]` };
  }
  let reason = null;
  if (event === "push") {
    const [kind, name] = scenario.ref.startsWith("refs/tags/")
      ? ["tag", scenario.ref.slice(10)] : ["branch", scenario.ref.replace(/^refs\/heads\//, "")];
    const other = kind === "tag" ? ["branches", "branches-ignore"] : ["tags", "tags-ignore"];
    const own = kind === "tag" ? ["tags", "tags-ignore"] : ["branches", "branches-ignore"];
    // A push filter that names only the other kind of ref excludes this kind altogether.
    if (!filter[own[0]] && !filter[own[1]] && (filter[other[0]] || filter[other[1]])) {
      reason = `push filters name only ${other[0]}`;
    } else reason = filterVerdict(filter, ...own, [name], kind);
  } else if (event === "pull_request" || event === "pull_request_target") {
    reason = filterVerdict(filter, "branches", "branches-ignore", [payload.pull_request?.base?.ref ?? ""], "base branch");
  } else if (event === "workflow_run") {
    const run = payload.workflow_run ?? {};
    if (filter.workflows && !filter.workflows.includes(run.name)) reason = `workflows [${filter.workflows}] has no ${run.name}`;
    else reason = filterVerdict(filter, "branches", "branches-ignore", [run.head_branch ?? ""], "head branch");
  }
  if (!reason && (event === "push" || event.startsWith("pull_request")) && scenario.changed_files) {
    reason = filterVerdict(filter, "paths", "paths-ignore", scenario.changed_files, "changed file");
  }
  if (reason) return { runs: [], reason };
  if (event === "schedule") {
    const crons = on.schedule.map(s => s.cron).filter(cron => !payload.schedule || cron === payload.schedule);
    return { runs: crons.map(cron => ({ trigger: `schedule ${cron}`, payload: { ...payload, schedule: cron } })) };
  }
  return { runs: [{ trigger: event, payload }] };
}

function inputDefaults(definitions, given) {
  const inputs = {};
  for (const [name, definition] of Object.entries(definitions ?? {})) {
    const fallback = definition.default?.templateTokenType === undefined ? definition.default : definition.default.value;
    const value = given?.[name] ?? fallback;
    inputs[name] = definition.type === "boolean" ? value === true || value === "true"
      : definition.type === "number" ? Number(value ?? 0) : value ?? "";
  }
  return inputs;
}

// The matrix combinations of a strategy, GitHub's way: the product of the vectors, minus
// `exclude`, then each `include` entry added to every combination whose original values it
// does not change (or as a combination of its own).
function combinations(strategy) {
  const matrix = strategy?.matrix;
  if (!matrix) return [null];
  const { include = [], exclude = [], ...vectors } = matrix;
  let combos = [{}];
  for (const [key, values] of Object.entries(vectors)) {
    if (!Array.isArray(values) || values.length === 0) throw new Error(`matrix ${key} has no values`);
    combos = combos.flatMap(combo => values.map(value => ({ ...combo, [key]: value })));
  }
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  combos = combos.filter(combo => !exclude.some(ex => Object.entries(ex).every(([k, v]) => same(combo[k], v))));
  if (Object.keys(vectors).length === 0) combos = [];
  const originals = combos.map(combo => ({ combo, keys: Object.keys(combo) }));
  for (const entry of include) {
    let added = false;
    for (const { combo, keys } of originals) {
      if (keys.every(key => !(key in entry) || same(entry[key], combo[key]))) {
        Object.assign(combo, entry);
        added = true;
      }
    }
    if (!added) combos.push({ ...entry });
  }
  return combos;
}

class Run {
  constructor(scenario, request, run) {
    this.scenario = scenario;
    this.files = request.files ?? [];
    this.workflows = request.workflows;
    this.payload = run.payload;
    this.jobs = [];
    const fork = scenario.event.startsWith("pull_request")
      && run.payload.pull_request?.head?.repo?.full_name !== undefined
      && run.payload.pull_request.head.repo.full_name !== `${scenario.repository.owner}/${scenario.repository.name}`;
    const dependabot = scenario.actor === "dependabot[bot]";
    // What GitHub passes to the run: no secrets and no variables to a pull request from a fork;
    // Dependabot's own secret store, and the variables, to a run Dependabot triggered.
    this.vars = fork ? {} : scenario.vars ?? {};
    this.secrets = { GITHUB_TOKEN: "***", ...(fork ? {} : dependabot ? scenario.dependabot_secrets : scenario.secrets) };
  }

  // Every event's payload describes the repository it happened in.
  repositoryPayload() {
    const { owner, name, private: isPrivate, default_branch } = this.scenario.repository;
    return {
      name, full_name: `${owner}/${name}`, owner: { login: owner },
      private: Boolean(isPrivate), visibility: isPrivate ? "private" : "public",
      default_branch: default_branch ?? "main",
    };
  }

  github(workflowName) {
    const { scenario, payload } = this;
    const repository = `${scenario.repository.owner}/${scenario.repository.name}`;
    const pr = payload.pull_request;
    return {
      event_name: scenario.event, event: { repository: this.repositoryPayload(), ...payload }, ref: scenario.ref ?? "", sha: scenario.sha ?? "0".repeat(40),
      ref_name: (scenario.ref ?? "").replace(/^refs\/(heads|tags)\//, ""),
      ref_type: (scenario.ref ?? "").startsWith("refs/tags/") ? "tag" : "branch",
      base_ref: pr?.base?.ref ?? "", head_ref: pr?.head?.ref ?? "",
      repository, repository_owner: scenario.repository.owner, actor: scenario.actor,
      triggering_actor: scenario.actor, workflow: workflowName, run_id: "1", run_number: "1",
      run_attempt: "1", server_url: "https://github.com", api_url: "https://api.github.com",
      token: "***", workspace: "/home/runner/work", event_path: "/home/runner/work/_temp/event.json",
    };
  }

  // Jobs of one workflow file, in `needs` order; `call` is set when another job called it.
  async runWorkflow(path, call) {
    const workflow = await load(path, this.workflows);
    const name = call?.workflowName ?? workflow.name;
    const base = {
      github: this.github(name), vars: this.vars, runner: RUNNER,
      inputs: call ? call.inputs : this.scenario.event === "workflow_dispatch"
        ? inputDefaults(workflow.template.events.workflow_dispatch?.inputs, this.payload.inputs) : {},
      secrets: call ? call.secrets : this.secrets,
    };
    base.env = evaluateToken(workflow.template.env, makeContext(base, {}, this.files)) ?? {};
    const results = {}; // job id -> {result, outputs} for the `needs` context
    const pending = [...workflow.template.jobs];
    while (pending.length) {
      const index = pending.findIndex(job => (job.needs ?? []).every(need => need.value in results));
      if (index < 0) throw new Error(`${path}: a \`needs\` cycle or an unknown job among ${pending.map(j => j.id.value)}`);
      const [job] = pending.splice(index, 1);
      results[job.id.value] = await this.runJob(path, workflow, job, base, results, call);
    }
    return results;
  }

  async runJob(path, workflow, job, base, results, call) {
    const id = job.id.value;
    const needs = Object.fromEntries((job.needs ?? []).map(need => [need.value, results[need.value]]));
    const ancestors = new Set();
    const visit = ids => ids.forEach(need => { if (!ancestors.has(need)) { ancestors.add(need); visit(results[need].needs); } });
    visit(Object.keys(needs));
    const status = {
      success: [...ancestors].every(a => results[a].result === "success"),
      failure: [...ancestors].some(a => results[a].result === "failure"),
    };
    const context = { ...base, needs: Object.fromEntries(Object.entries(needs).map(([k, v]) => [k, { result: v.result, outputs: v.outputs }])) };
    const prefix = call ? `${call.key} / ` : "";
    const entry = {
      workflow: path, job: id, key: prefix + id, caller: call?.key ?? null, matrix: null,
      name: sourceText(job.name) || id,
      runs: false, result: "skipped", reason: "", environment: null, uses: null, env: {},
      references: { vars: [], secrets: [] }, unset: { vars: [], secrets: [] }, steps: [],
    };
    // A job's `if` never sees environment variables: the environment is chosen after it.
    const condition = job.if?.expression ?? "success()";
    if (!truthy(evaluate(condition, makeContext(context, status, this.files)))) {
      const blocked = [...ancestors].filter(a => results[a].result !== "success");
      entry.reason = !status.success && /^success\(\) && /.test(condition) || condition === "success()"
        ? `needs ${blocked.map(a => `${a} (${results[a].result})`).join(", ")}`
        : `if: ${condition} is false`;
      this.jobs.push(entry);
      return { result: "skipped", outputs: {}, needs: Object.keys(needs) };
    }
    entry.reason = condition === "success()" ? "no if" : `if: ${condition} is true`;
    let combos;
    try {
      combos = combinations(evaluateToken(job.strategy, makeContext(context, status, this.files)));
    } catch (error) {
      this.jobs.push({ ...entry, result: "failure", reason: `strategy: ${error.message}` });
      return { result: "failure", outputs: {}, needs: Object.keys(needs) };
    }
    let result = "skipped";
    let outputs = {};
    for (const matrix of combos) {
      const key = entry.key + (matrix ? ` (${Object.values(matrix).map(asText).join(", ")})` : "");
      const jobContext = { ...context, matrix: matrix ?? {}, strategy: { "fail-fast": true, "job-index": 0, "job-total": combos.length } };
      const name = asText(safely(() => evaluateToken(job.name, makeContext(jobContext, status, this.files)))) || id;
      const own = { ...entry, key, name, matrix, runs: true, result: "success" };
      const outcome = job.type === "reusableWorkflowJob"
        ? await this.callWorkflow(own, job, jobContext, status)
        : this.runSteps(own, path, workflow, job, jobContext, status);
      result = outcome.result === "failure" || result === "failure" ? "failure"
        : outcome.result === "success" ? "success" : result;
      outputs = { ...outputs, ...outcome.outputs };
    }
    return { result, outputs, needs: Object.keys(needs) };
  }

  runSteps(entry, path, workflow, job, context, status) {
    const environment = evaluateToken(job.environment, makeContext(context, status, this.files));
    entry.environment = asText(job.environment && isMapping(job.environment) ? environment?.name : environment) || null;
    const scoped = this.scenario.environments?.[entry.environment];
    // Steps see the environment's variables over the repository's.
    const jobContext = { ...context, vars: { ...context.vars, ...(scoped?.vars ?? {}) }, job: { status: "success" } };
    entry.env = evaluateToken(job.env, makeContext(jobContext, status, this.files)) ?? {};
    Object.assign(entry, readings(references(job.env), jobContext));
    jobContext.env = { ...context.env, ...entry.env };
    const given = this.scenario.step_outputs?.[path]?.[job.id.value] ?? {};
    let steps = {};
    const raw = rawSteps(workflow.root, job.id.value);
    job.steps.forEach((step, i) => {
      const token = raw[i];
      const withToken = token?.find("with");
      const stepContext = { ...jobContext, steps };
      const stepStatus = { success: true, failure: false };
      let evaluated = makeContext(stepContext, stepStatus, this.files);
      const make = () => evaluated;
      const condition = step.if?.expression ?? "success()";
      const runs = truthy(evaluate(condition, make()));
      const env = runs ? evaluateToken(step.env, make()) ?? {} : {};
      // The step's own `env:` applies to its name, `with:` and `run:`, not to its `if:`.
      stepContext.env = { ...jobContext.env, ...env };
      evaluated = makeContext(stepContext, stepStatus, this.files);
      const run = step.run ? asText(runs ? evaluateToken(step.run, make()) : sourceText(step.run)) : null;
      entry.steps.push({
        // An unnamed step is "Run <action or first line>" on GitHub.
        id: step.id, name: asText(safely(() => evaluateToken(step.name, make())))
          || `Run ${step.uses?.value ?? run.split("\n")[0]}`,
        uses: step.uses?.value ?? null, run,
        runs, reason: condition === "success()" ? "no if" : `if: ${condition} is ${runs}`,
        with: runs ? Object.fromEntries(Object.entries(evaluateToken(withToken, make()) ?? {}).map(([k, v]) => [k, asText(v)])) : {},
        with_sources: Object.fromEntries([...(withToken ?? [])].map(({ key, value }) => [key.value, sourceText(value)])),
        env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, asText(v)])),
        ...readings(references(withToken, references(step.env, references(step.run))), stepContext),
      });
      steps = {
        ...steps,
        [step.id]: runs
          ? { outputs: given[step.id] ?? {}, outcome: "success", conclusion: "success" }
          : { outputs: {}, outcome: "skipped", conclusion: "skipped" },
      };
    });
    this.jobs.push(entry);
    const outputs = evaluateToken(job.outputs, makeContext({ ...jobContext, steps }, status, this.files)) ?? {};
    return { result: "success", outputs };
  }

  async callWorkflow(entry, job, context, status) {
    const ref = job.ref.value;
    entry.uses = ref;
    this.jobs.push(entry);
    if (!ref.startsWith("./")) return { result: "success", outputs: {} }; // another repository's
    const path = ref.slice(2).replace(/@.*$/, "");
    const called = await load(path, this.workflows);
    const make = () => makeContext(context, status, this.files);
    const given = evaluateToken(job["input-values"], make()) ?? {};
    const secrets = job["inherit-secrets"] ? context.secrets
      : { GITHUB_TOKEN: "***", ...(evaluateToken(job["secret-values"], make()) ?? {}) };
    const inputs = inputDefaults(called.template.events.workflow_call?.inputs, given);
    const inner = await this.runWorkflow(path, { key: entry.key, inputs, secrets, workflowName: context.github.workflow });
    const results = Object.values(inner).map(job => job.result);
    // A call whose jobs all skipped counts as skipped for the jobs that need it.
    const result = results.includes("failure") ? "failure" : results.includes("success") ? "success" : "skipped";
    entry.result = result;
    return { result, outputs: {} };
  }
}

function safely(compute) {
  try { return compute(); } catch { return null; }
}

async function simulate(request, scenario) {
  const runs = [];
  const notTriggered = [];
  for (const path of Object.keys(request.workflows).sort()) {
    const workflow = await load(path, request.workflows);
    const { runs: started, reason } = triggers(workflow, scenario);
    if (!started.length) notTriggered.push({ workflow: path, name: workflow.name, reason });
    for (const run of started) {
      const simulation = new Run(scenario, request, run);
      await simulation.runWorkflow(path, null);
      runs.push({ workflow: path, name: workflow.name, trigger: run.trigger, jobs: simulation.jobs });
    }
  }
  return { id: scenario.id, runs, not_triggered: notTriggered };
}

const request = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const scenario of request.scenarios) results.push(await simulate(request, scenario));
process.stdout.write(JSON.stringify({ results }));
