/**
 * Delivering webhooks as GitHub does: a JSON POST with X-GitHub-Event, X-GitHub-Delivery,
 * X-Hub-Signature-256 (HMAC SHA-256 of the raw body, hex, "sha256=" prefix) and the older
 * X-Hub-Signature (SHA-1). GitHub gives up after 10 seconds (30 on GHES); so does this,
 * unless told otherwise, and reports status 0.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface DeliveryOptions {
  /** Keep it to replay a delivery (GitHub's redelivery keeps the id). */
  deliveryId?: string;
  /** The X-Hub-Signature-256 header as sent; null leaves it out. Default: the right one. */
  signature?: string | null;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface DeliveryResult {
  deliveryId: string;
  event: string;
  action: string | null;
  /** 0 when no answer came (refused, reset, or past the timeout). */
  status: number;
  ms: number;
  body: string;
  error?: string;
}

export function signatureOf(secret: string, body: string | Buffer, algorithm: "sha256" | "sha1" = "sha256"): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest("hex")}`;
}

export async function deliver(url: string, secret: string, event: string, payload: unknown, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  const deliveryId = options.deliveryId ?? randomUUID();
  const action = typeof (payload as { action?: unknown } | null)?.action === "string" ? (payload as { action: string }).action : null;
  const installation = (payload as { installation?: { id?: number } } | null)?.installation?.id;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/github-sim",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
    "x-github-hook-id": "1",
    ...(installation !== undefined && { "x-github-hook-installation-target-id": String(installation), "x-github-hook-installation-target-type": "integration" }),
    "x-hub-signature": signatureOf(secret, body, "sha1"),
    ...options.headers,
  };
  const signature = options.signature === undefined ? signatureOf(secret, body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const started = performance.now();
  try {
    const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    const text = await res.text();
    return { deliveryId, event, action, status: res.status, ms: Math.round(performance.now() - started), body: text };
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { deliveryId, event, action, status: 0, ms: Math.round(performance.now() - started), body: "", error };
  }
}
