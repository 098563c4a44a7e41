/**
 * Who is a security champion: a login listed in the base model's `champions`, or an active
 * member of a listed `@org/team`. Nothing else counts: not write access, not admin, not a
 * component's owners, and never a bot. Team membership is asked of GitHub once per delivery.
 */
import { statusOf, type Octokit } from "./octokit.js";

export interface Person {
  login: string;
  /** GitHub's account type: "Bot" accounts are never champions. */
  type?: string | undefined;
}

export function isBot(person: Person): boolean {
  return person.type === "Bot" || /\[bot\]$/i.test(person.login);
}

export class Champions {
  private readonly users: Set<string>;
  private readonly teams: { org: string; slug: string }[];
  private readonly memberships = new Map<string, Promise<boolean>>();

  constructor(
    private readonly octokit: Octokit,
    /** From the BASE model only. */
    readonly listed: readonly string[],
  ) {
    this.users = new Set(listed.filter((c) => !c.startsWith("@")).map((c) => c.toLowerCase()));
    this.teams = listed.filter((c) => c.startsWith("@")).map((c) => {
      const [org, slug] = c.slice(1).split("/") as [string, string];
      return { org, slug };
    });
  }

  async includes(person: Person): Promise<boolean> {
    if (isBot(person)) return false;
    if (this.users.has(person.login.toLowerCase())) return true;
    for (const team of this.teams) {
      if (await this.memberOf(team.org, team.slug, person.login)) return true;
    }
    return false;
  }

  /** Active membership only: a pending invitation or a 404 is not membership. */
  private memberOf(org: string, slug: string, login: string): Promise<boolean> {
    const key = `${org}/${slug}/${login}`.toLowerCase();
    let answer = this.memberships.get(key);
    if (!answer) {
      answer = this.octokit.rest.teams
        .getMembershipForUserInOrg({ org, team_slug: slug, username: login })
        .then(({ data }) => data.state === "active")
        .catch((e: unknown) => {
          if (statusOf(e) === 404) return false;
          throw e;
        });
      this.memberships.set(key, answer);
    }
    return answer;
  }

  /** Users and teams to ask for a review: the author is not asked; teams only from the repository's organisation. */
  reviewers(owner: string, author: string): { reviewers: string[]; team_reviewers: string[] } {
    return {
      reviewers: [...this.users].filter((u) => u !== author.toLowerCase()),
      team_reviewers: this.teams.filter((t) => t.org.toLowerCase() === owner.toLowerCase()).map((t) => t.slug),
    };
  }
}

interface ListedReview {
  user: { login: string; type?: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
}

/**
 * Each person's standing review: the latest one that approves, requests changes or was
 * dismissed (comments do not change a standing approval). Reviews come oldest first.
 */
export async function standingApprovals(octokit: Octokit, at: { owner: string; repo: string; number: number }): Promise<{ user: Person; commit: string }[]> {
  const reviews = (await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: at.owner,
    repo: at.repo,
    pull_number: at.number,
    per_page: 100,
  })) as ListedReview[];
  const latest = new Map<string, ListedReview>();
  for (const r of reviews) {
    if (!r.user || !["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(r.state)) continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  return [...latest.values()]
    .filter((r) => r.state === "APPROVED" && r.commit_id)
    .map((r) => ({ user: { login: r.user!.login, type: r.user!.type }, commit: r.commit_id! }));
}
