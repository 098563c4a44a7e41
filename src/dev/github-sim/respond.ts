/** What a route answers, GitHub's error shapes, and pagination with Link headers. */

export interface SimResponse {
  status: number;
  /** A JSON body. */
  json?: unknown;
  /** Bytes with their content type (raw media types). */
  raw?: { body: Buffer; contentType: string };
  headers?: Record<string, string>;
}

const DOCS = "https://docs.github.com/rest";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, ...this.extra, documentation_url: DOCS, status: String(this.status) };
  }
}

export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, message);
}

/** 422 "Validation Failed" with GitHub's errors list. */
export function validationFailed(errors: { resource: string; field?: string; code: string; message?: string }[]): HttpError {
  return new HttpError(422, "Validation Failed", { errors });
}

/** 422 "Unprocessable Entity" with plain messages (what the reviews API answers). */
export function unprocessable(messages: string[]): HttpError {
  return new HttpError(422, "Unprocessable Entity", { errors: messages });
}

export function ok(json: unknown, status = 200): SimResponse {
  return { status, json };
}

export interface PageRequest {
  query: URLSearchParams;
  /** The absolute URL of this path with the given query. */
  link(query: URLSearchParams): string;
}

export const MAX_PER_PAGE = 100;

export function pageOf(query: URLSearchParams, fallback = 30): { perPage: number; page: number } {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(Number(query.get("per_page") ?? fallback)) || fallback));
  const page = Math.max(1, Math.floor(Number(query.get("page") ?? 1)) || 1);
  return { perPage, page };
}

/** Link: <...>; rel="next", <...>; rel="last" (and prev/first past page 1), as GitHub writes it. */
export function linkHeader(req: PageRequest, page: number, perPage: number, total: number): string | null {
  const last = Math.max(1, Math.ceil(total / perPage));
  const at = (n: number) => {
    const q = new URLSearchParams(req.query);
    q.set("per_page", String(perPage));
    q.set("page", String(n));
    return req.link(q);
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(", ") : null;
}

/** One page of `items` as a JSON array, with the Link header. */
export function paginate<T>(req: PageRequest, items: readonly T[], render: (item: T) => unknown = (x) => x): SimResponse {
  const { perPage, page } = pageOf(req.query);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = linkHeader(req, page, perPage, items.length);
  return { status: 200, json: slice.map(render), ...(link && { headers: { link } }) };
}
