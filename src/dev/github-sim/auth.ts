/**
 * Who is asking: an App (a JWT, used only to mint installation tokens), an installation
 * (a token the App minted: whatever it writes is the App's bot's), a person (a token a
 * test minted with `userToken`), or nobody. JWTs are decoded, not verified: the simulator
 * has no App private key to check them against; their `iss` names the App.
 */
import { randomBytes } from "node:crypto";
import type { Account, AppIdentity } from "./types.js";

export type Identity =
  | { kind: "installation"; installationId: number; app: AppIdentity; actor: Account }
  | { kind: "app"; app: AppIdentity }
  | { kind: "user"; actor: Account }
  | { kind: "anonymous" };

interface Token {
  identity: Identity;
  expiresAt: number;
}

export class AuthError extends Error {}

export class Tokens {
  private readonly tokens = new Map<string, Token>();

  constructor(
    private readonly nowSeconds: () => number,
    private readonly appFor: (id: number) => AppIdentity,
  ) {}

  mint(identity: Identity, prefix: "ghs" | "ghp", ttlSeconds: number): { token: string; expiresAt: number } {
    const token = `${prefix}_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
    const expiresAt = this.nowSeconds() + ttlSeconds;
    this.tokens.set(token, { identity, expiresAt });
    return { token, expiresAt };
  }

  /** The identity of an Authorization header; throws AuthError for bad credentials. */
  identify(header: string | undefined): Identity {
    if (!header) return { kind: "anonymous" };
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new AuthError("Bad credentials");
    const credential = m[1]!;
    if (credential.split(".").length === 3) return { kind: "app", app: this.appFor(this.issuer(credential)) };
    const token = this.tokens.get(credential);
    if (!token || token.expiresAt <= this.nowSeconds()) throw new AuthError("Bad credentials");
    return token.identity;
  }

  private issuer(jwt: string): number {
    let claims: { iss?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as typeof claims;
    } catch {
      throw new AuthError("A JSON web token could not be decoded");
    }
    if (typeof claims.exp === "number" && claims.exp < this.nowSeconds()) {
      throw new AuthError("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
    }
    const iss = Number(claims.iss);
    if (!Number.isInteger(iss) || iss <= 0) throw new AuthError("'Issuer' claim ('iss') must be an Integer");
    return iss;
  }
}

/** The rate-limit bucket a credential draws on. */
export function bucketKey(identity: Identity): string {
  switch (identity.kind) {
    case "installation":
      return `installation:${identity.installationId}`;
    case "app":
      return `app:${identity.app.id}`;
    case "user":
      return `user:${identity.actor.id}`;
    case "anonymous":
      return "anonymous";
  }
}
