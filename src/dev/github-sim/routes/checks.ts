/**
 * Check runs, which only Apps can write. Validation as GitHub does it: output needs title
 * and summary; summary and text at most 65,535 characters; at most 50 annotations per
 * request (each with path, start_line, end_line, annotation_level and message; columns only
 * on single-line annotations), appended across updates; at most 3 actions with label <= 20,
 * description <= 40 and identifier <= 20 characters; a completed run needs a conclusion.
 */
import { HttpError, notFound, ok, paginate, validationFailed, type SimResponse } from "../respond.js";
import { route, type RouteContext } from "../router.js";
import type { Annotation, CheckAction, CheckRun } from "../types.js";
import { bodyOf, repoOf, str } from "./common.js";

export const ANNOTATIONS_PER_REQUEST = 50;
export const OUTPUT_TEXT_LIMIT = 65_535;
const STATUSES = ["queued", "in_progress", "completed"];
const CONCLUSIONS = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out"];
const LEVELS = ["notice", "warning", "failure"];

function invalid(field: string, message: string): HttpError {
  return validationFailed([{ resource: "CheckRun", field, code: "invalid", message }]);
}

function appOf(ctx: RouteContext) {
  if (ctx.identity.kind !== "installation") throw new HttpError(403, "You must authenticate via a GitHub App.");
  return ctx.identity.app;
}

interface Parsed {
  output?: { title: string; summary: string; text: string | null; annotations: Annotation[] };
  actions?: CheckAction[];
}

function parse(body: Record<string, unknown>): Parsed {
  const parsed: Parsed = {};
  const output = body["output"];
  if (output !== undefined && output !== null) {
    if (typeof output !== "object") throw invalid("output", "output must be an object");
    const o = output as Record<string, unknown>;
    const title = str(o["title"]);
    const summary = str(o["summary"]);
    if (title === undefined) throw validationFailed([{ resource: "CheckRun", field: "output.title", code: "missing_field", message: "output.title is required" }]);
    if (summary === undefined) throw validationFailed([{ resource: "CheckRun", field: "output.summary", code: "missing_field", message: "output.summary is required" }]);
    if (summary.length > OUTPUT_TEXT_LIMIT) throw invalid("output.summary", `summary is too long (maximum is ${OUTPUT_TEXT_LIMIT} characters)`);
    const text = str(o["text"]) ?? null;
    if (text !== null && text.length > OUTPUT_TEXT_LIMIT) throw invalid("output.text", `text is too long (maximum is ${OUTPUT_TEXT_LIMIT} characters)`);
    const annotations = o["annotations"] ?? [];
    if (!Array.isArray(annotations)) throw invalid("output.annotations", "annotations must be an array");
    if (annotations.length > ANNOTATIONS_PER_REQUEST) throw invalid("output.annotations", `Only ${ANNOTATIONS_PER_REQUEST} annotations are allowed per request (got ${annotations.length})`);
    parsed.output = { title, summary, text, annotations: annotations.map((a, i) => annotation(a, i)) };
  }
  const actions = body["actions"];
  if (actions !== undefined) {
    if (!Array.isArray(actions)) throw invalid("actions", "actions must be an array");
    if (actions.length > 3) throw invalid("actions", "At most 3 actions are allowed");
    parsed.actions = actions.map((a: Record<string, unknown>, i) => {
      const label = str(a["label"]);
      const description = str(a["description"]);
      const identifier = str(a["identifier"]);
      if (!label || label.length > 20) throw invalid(`actions[${i}].label`, "label is required and at most 20 characters");
      if (!description || description.length > 40) throw invalid(`actions[${i}].description`, "description is required and at most 40 characters");
      if (!identifier || identifier.length > 20) throw invalid(`actions[${i}].identifier`, "identifier is required and at most 20 characters");
      return { label, description, identifier };
    });
  }
  return parsed;
}

function annotation(raw: unknown, i: number): Annotation {
  const a = (raw ?? {}) as Record<string, unknown>;
  const field = (name: string) => `output.annotations[${i}].${name}`;
  for (const key of ["path", "message"]) if (typeof a[key] !== "string" || a[key] === "") throw invalid(field(key), `${key} is required`);
  for (const key of ["start_line", "end_line"]) if (!Number.isInteger(a[key]) || (a[key] as number) < 1) throw invalid(field(key), `${key} is required and a positive integer`);
  if (!LEVELS.includes(a["annotation_level"] as string)) throw invalid(field("annotation_level"), "annotation_level must be notice, warning or failure");
  if ((a["start_column"] !== undefined || a["end_column"] !== undefined) && a["start_line"] !== a["end_line"]) {
    throw invalid(field("start_column"), "start_column and end_column are only allowed when start_line equals end_line");
  }
  if ((a["message"] as string).length > 64 * 1024) throw invalid(field("message"), "message is too long (maximum is 64 KB)");
  if (typeof a["title"] === "string" && a["title"].length > 255) throw invalid(field("title"), "title is too long (maximum is 255 characters)");
  return a as unknown as Annotation;
}

function statusAndConclusion(body: Record<string, unknown>, run: Pick<CheckRun, "status" | "conclusion">): Pick<CheckRun, "status" | "conclusion"> {
  const status = str(body["status"]);
  const conclusion = str(body["conclusion"]);
  if (status !== undefined && !STATUSES.includes(status)) throw invalid("status", `status must be one of ${STATUSES.join(", ")}`);
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion)) throw invalid("conclusion", `conclusion must be one of ${CONCLUSIONS.join(", ")}`);
  // A conclusion completes the run.
  if (conclusion !== undefined) return { status: "completed", conclusion };
  const next = (status as CheckRun["status"] | undefined) ?? run.status;
  if (next === "completed" && !run.conclusion) throw validationFailed([{ resource: "CheckRun", field: "conclusion", code: "missing_field", message: "conclusion is required when status is completed" }]);
  return { status: next, conclusion: next === "completed" ? run.conclusion : null };
}

async function create(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const app = appOf(ctx);
  const body = bodyOf(ctx);
  const name = str(body["name"]);
  const headSha = str(body["head_sha"]);
  if (!name) throw validationFailed([{ resource: "CheckRun", field: "name", code: "missing_field" }]);
  if (!headSha) throw validationFailed([{ resource: "CheckRun", field: "head_sha", code: "missing_field" }]);
  if (!/^[0-9a-f]{40}$/.test(headSha) || !(await repo.store.commit(headSha))) throw validationFailed([{ resource: "CheckRun", field: "head_sha", code: "invalid", message: `No commit found for SHA: ${headSha}` }]);
  const parsed = parse(body);
  const { status, conclusion } = statusAndConclusion(body, { status: "queued", conclusion: null });
  const now = ctx.state.clock.iso();
  const run: CheckRun = {
    id: ctx.state.id(),
    name,
    headSha,
    status,
    conclusion,
    startedAt: str(body["started_at"]) ?? now,
    completedAt: status === "completed" ? (str(body["completed_at"]) ?? now) : null,
    externalId: str(body["external_id"]) ?? null,
    detailsUrl: str(body["details_url"]) ?? null,
    output: { title: parsed.output?.title ?? null, summary: parsed.output?.summary ?? null, text: parsed.output?.text ?? null },
    annotations: parsed.output?.annotations ?? [],
    actions: parsed.actions ?? [],
    app,
    suiteId: repo.suiteFor(app.id, headSha),
    writes: 1,
  };
  repo.checkRuns.set(run.id, run);
  return ok(ctx.state.shapes.checkRun(repo, run), 201);
}

function runOf(ctx: RouteContext) {
  const repo = repoOf(ctx);
  const run = repo.checkRuns.get(Number(ctx.params["check_run_id"]));
  if (!run) throw notFound();
  return { repo, run };
}

function update(ctx: RouteContext): SimResponse {
  const { repo, run } = runOf(ctx);
  const app = appOf(ctx);
  if (run.app && run.app.id !== app.id) throw new HttpError(403, "Invalid app_id `" + app.id + "` - check run can only be modified by the GitHub App that created it.");
  const body = bodyOf(ctx);
  const parsed = parse(body);
  const next = statusAndConclusion(body, run);
  // Everything is validated: now apply.
  if (str(body["name"])) run.name = str(body["name"])!;
  if (str(body["details_url"])) run.detailsUrl = str(body["details_url"])!;
  if (str(body["external_id"])) run.externalId = str(body["external_id"])!;
  if (str(body["started_at"])) run.startedAt = str(body["started_at"])!;
  if (next.status === "completed" && run.status !== "completed") run.completedAt = str(body["completed_at"]) ?? ctx.state.clock.iso();
  run.status = next.status;
  run.conclusion = next.conclusion;
  if (parsed.output) {
    run.output = { title: parsed.output.title, summary: parsed.output.summary, text: parsed.output.text ?? run.output.text };
    run.annotations.push(...parsed.output.annotations);
  }
  if (parsed.actions) run.actions = parsed.actions;
  run.writes++;
  return ok(ctx.state.shapes.checkRun(repo, run));
}

async function forRef(ctx: RouteContext): Promise<SimResponse> {
  const repo = repoOf(ctx);
  const sha = await repo.resolveRef(ctx.params["ref"]!);
  if (!sha) throw validationFailed([{ resource: "Commit", field: "ref", code: "invalid", message: `No commit found for SHA: ${ctx.params["ref"]}` }]);
  const name = ctx.query.get("check_name");
  const status = ctx.query.get("status");
  const appId = ctx.query.get("app_id");
  let runs = [...repo.checkRuns.values()].filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status) && (!appId || r.app?.id === Number(appId)));
  if ((ctx.query.get("filter") ?? "latest") === "latest") {
    const latest = new Map<string, CheckRun>();
    for (const r of runs) latest.set(`${r.app?.id}:${r.name}`, r);
    runs = [...latest.values()];
  }
  runs.sort((a, b) => b.id - a.id);
  const page = paginate(ctx, runs, (r) => ctx.state.shapes.checkRun(repo, r));
  return { ...page, json: { total_count: runs.length, check_runs: page.json } };
}

export const checkRoutes = [
  route("POST /repos/{owner}/{repo}/check-runs", create),
  route("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", update),
  route("GET /repos/{owner}/{repo}/check-runs/{check_run_id}", (ctx) => {
    const { repo, run } = runOf(ctx);
    return ok(ctx.state.shapes.checkRun(repo, run));
  }),
  route("GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", (ctx) => {
    const { run } = runOf(ctx);
    return paginate(ctx, run.annotations, (a) => ({ ...a, blob_href: "", start_column: a.start_column ?? null, end_column: a.end_column ?? null, title: a.title ?? "", raw_details: a.raw_details ?? null }));
  }),
  route("GET /repos/{owner}/{repo}/commits/{ref+}/check-runs", forRef),
];
