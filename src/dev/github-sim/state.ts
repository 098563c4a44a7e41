/**
 * Everything the simulator knows, shared by the HTTP side (routes) and the test side
 * (the GitHubSim facade): repositories, installations, accounts, team memberships,
 * credentials, rate limits, faults and the request log. One instance per simulator.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Tokens } from "./auth.js";
import { Clock } from "./clock.js";
import { Faults } from "./faults.js";
import { GitStore } from "./git-store.js";
import { Limiter } from "./limiter.js";
import { RateLimits } from "./rate-limit.js";
import { SimRepo } from "./repo.js";
import { Shapes } from "./shapes.js";
import type { Account, AppIdentity, Installation, UserInput } from "./types.js";

export interface PatchLimits {
  /** A file's patch is left out above this many lines (GitHub shows no diff for very large files). */
  maxLines: number;
  /** ...or above this many bytes. */
  maxBytes: number;
}

export const DEFAULT_PATCH_LIMITS: PatchLimits = { maxLines: 20_000, maxBytes: 500 * 1024 };

export interface RequestRecord {
  seq: number;
  method: string;
  /** Without the /api/v3 prefix and without the query string. */
  path: string;
  query: string;
  /** The route that served it, as GitHub's docs write it ("GET /repos/{owner}/{repo}/pulls/{pull_number}"), or null. */
  route: string | null;
  /** 0 when the connection was dropped without an answer (or is still being served). */
  status: number;
  /**
   * Charged against the rate limit: a handler served it with an answer other than 304
   * (a 404 for a route the simulator does not serve is charged, as GitHub charges 404s;
   * so is apply-then-fail, whose write took effect). False for 304s, for injected faults
   * that answer before any handler (status, secondary-rate-limit, drop), for bad
   * credentials, for requests past the limit and for GET /rate_limit.
   */
  counted: boolean;
  /** The installation whose token made it (or whose token it asked for); null for others. */
  installationId: number | null;
  /** The parsed JSON body of a write (or its text). */
  body: unknown;
  fault: string | null;
  requestId: string;
  ms: number;
}

export type RepoRef = SimRepo | string;

export interface StateOptions {
  root: string;
  now?: () => Date;
  appSlug?: string;
  appName?: string;
  rateLimit?: number;
  patchLimits?: Partial<PatchLimits>;
}

export class SimState {
  readonly clock: Clock;
  readonly tokens: Tokens;
  readonly rateLimits: RateLimits;
  readonly faults = new Faults();
  readonly shapes: Shapes = new Shapes(this);
  readonly limiter = new Limiter(8);
  readonly repos = new Map<string, SimRepo>();
  readonly installations = new Map<number, Installation>();
  /** "org/slug" (lower case) -> login (lower case) -> membership state. */
  readonly teams = new Map<string, Map<string, "active" | "pending">>();
  readonly requests: RequestRecord[] = [];
  readonly patchLimits: PatchLimits;
  /** Where the simulator listens: "http://127.0.0.1:PORT" once started. */
  origin = "http://127.0.0.1";
  private readonly accounts = new Map<string, Account>();
  private nextId = 1000;
  private nextSeq = 1;

  constructor(private readonly options: StateOptions) {
    this.clock = new Clock(options.now);
    this.tokens = new Tokens(() => this.clock.seconds(), (id) => this.app(id));
    this.rateLimits = new RateLimits(
      () => this.clock.seconds(),
      (key) => (key === "anonymous" ? 60 : (options.rateLimit ?? 5_000)),
    );
    this.patchLimits = { ...DEFAULT_PATCH_LIMITS, ...options.patchLimits };
  }

  id(): number {
    return this.nextId++;
  }

  seq(): number {
    return this.nextSeq++;
  }

  /** The account for a login: the same id every time; a given type updates it. */
  account(user: UserInput | string): Account {
    const input = typeof user === "string" ? { login: user } : user;
    const key = input.login.toLowerCase();
    let account = this.accounts.get(key);
    if (!account) {
      const type = input.type ?? (/\[bot\]$/i.test(input.login) ? "Bot" : "User");
      account = { login: input.login, id: this.id(), type };
      this.accounts.set(key, account);
    } else if (input.type && account.type !== input.type) {
      account.type = input.type;
    }
    return account;
  }

  app(id: number): AppIdentity {
    return { id, slug: this.options.appSlug ?? "threat-model-review", name: this.options.appName ?? "threat-model-review" };
  }

  /** The bot account an App writes as. */
  botOf(app: AppIdentity): Account {
    return this.account({ login: `${app.slug}[bot]`, type: "Bot" });
  }

  installation(id: number, owner: Account): Installation {
    let found = this.installations.get(id);
    if (!found) {
      found = { id, account: owner, repositories: new Set() };
      this.installations.set(id, found);
    }
    return found;
  }

  async createRepo(input: { owner: string; name: string; installationId: number; defaultBranch?: string; ownerType?: "Organization" | "User" }): Promise<SimRepo> {
    const key = `${input.owner}/${input.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${input.owner}/${input.name} already exists`);
    if (!/^[\w.-]+$/.test(input.owner) || !/^[\w.-]+$/.test(input.name)) throw new Error(`not a repository name: ${input.owner}/${input.name}`);
    const dir = join(this.options.root, `${this.repos.size + 1}-${input.owner}-${input.name}`);
    await mkdir(dir, { recursive: true });
    const defaultBranch = input.defaultBranch ?? "main";
    const store = await GitStore.init(dir, defaultBranch, this.limiter);
    const owner = this.account({ login: input.owner, type: input.ownerType ?? "Organization" });
    const repo = new SimRepo(this, store, { id: this.id(), owner, name: input.name, installationId: input.installationId, defaultBranch });
    this.repos.set(key, repo);
    this.installation(input.installationId, owner).repositories.add(key);
    return repo;
  }

  findRepo(owner: string, name: string): SimRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repo(ref: RepoRef): SimRepo {
    if (typeof ref !== "string") return ref;
    const [owner = "", name = ""] = ref.split("/");
    const repo = this.findRepo(owner, name);
    if (!repo) throw new Error(`no repository ${ref} in the simulator`);
    return repo;
  }

  setTeamMember(org: string, slug: string, login: string, state: "active" | "pending" | null): void {
    const key = `${org}/${slug}`.toLowerCase();
    let team = this.teams.get(key);
    if (!team) this.teams.set(key, (team = new Map()));
    if (state === null) team.delete(login.toLowerCase());
    else team.set(login.toLowerCase(), state);
  }

  apiUrl(path: string): string {
    return `${this.origin}/api/v3${path}`;
  }

  htmlUrl(path: string): string {
    return `${this.origin}${path}`;
  }
}
