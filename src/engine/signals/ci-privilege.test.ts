import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { ciPrivilege } from "./ci-privilege.js";

const wf = ".github/workflows/ci.yml";

signalCases(ciPrivilege, {
  fires: {
    [wf]: [
      "on: pull_request_target",
      "on: [push, pull_request_target]",
      "  pull_request_target:",
      "  - pull_request_target",
      "  workflow_run:",
      "on: workflow_run",
      "permissions: write-all",
      "  contents: write",
      "      packages: write",
      "  id-token: write",
      "  actions: write",
      "  pull-requests: write",
      "permissions: { contents: write, issues: read }",
      "    security-events: 'write'",
      "    runs-on: self-hosted",
      "    runs-on: [self-hosted, linux, x64]",
      "      - self-hosted",
      "      labels: [self-hosted, gpu]",
      "      ACTIONS_ALLOW_UNSECURE_COMMANDS: true",
      '          echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=true" >> $GITHUB_ENV',
      '        run: echo "${{ github.event.pull_request.title }}"',
      '          echo "Branch: ${{ github.head_ref }}"',
      '      - run: gh issue comment 1 --body "${{ github.event.comment.body }}"',
      '          git commit -m "${{ github.event.head_commit.message }}"',
      '          script: console.log("${{ github.event.issue.title }}")',
      '          TITLE="${{ github.event.pull_request.body }}"',
      '        run: curl -H "Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}" https://deploy.acme.dev',
      "          docker login -u acme -p ${{ secrets.DOCKERHUB_TOKEN }}",
      "          ref: ${{ github.event.workflow_run.head_sha }}",
    ],
    ".github/workflows/release.yaml": ["  contents: write"],
    "action.yml": ['      run: echo "${{ github.event.pull_request.head.ref }}"'],
  },
  silent: {
    [wf]: [
      "on: pull_request",
      "on: [push, pull_request]",
      "  push:",
      "  pull_request:",
      "    types: [opened, synchronize]",
      "    if: github.event_name == 'pull_request_target'",
      "permissions: read-all",
      "permissions: {}",
      "permissions:",
      "  contents: read",
      "  id-token: none",
      "  pull-requests: read",
      "    runs-on: ubuntu-latest",
      "    runs-on: ${{ matrix.os }}",
      "    runs-on: [ubuntu-22.04]",
      "          token: ${{ secrets.GITHUB_TOKEN }}",
      "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}",
      "        if: ${{ secrets.SLACK_WEBHOOK != '' }}",
      "          TITLE: ${{ github.event.pull_request.title }}",
      '        run: echo "$TITLE"',
      "      - name: Label ${{ github.event.pull_request.title }}",
      "          ref: ${{ github.event.pull_request.head.sha }}",
      "          ref: ${{ github.head_ref }}",
      '        run: echo "${{ github.event.pull_request.number }}"',
      '        run: echo "${{ github.event.pull_request.head.sha }}"',
      "    # runs-on: self-hosted",
      "  # pull_request_target:",
      '      # run: echo "${{ github.event.issue.title }}"',
      "          persist-credentials: true",
      "          persist-credentials: false",
      "      ACTIONS_ALLOW_UNSECURE_COMMANDS: false",
      "      - uses: actions/checkout@v4",
    ],
    ".gitlab-ci.yml": ['  script: echo "$CI_MERGE_REQUEST_TITLE"', "  tags: [self-hosted]"],
    "deploy/config.yml": ["permissions: write-all", "  contents: write", '  run: echo "${{ github.event.issue.title }}"'],
    "docs/ci.md": ["on: pull_request_target"],
  },
  moved: {
    [wf]: [
      "on: pull_request_target",
      "  contents: write",
      "    runs-on: self-hosted",
      '        run: echo "${{ github.event.pull_request.title }}"',
      "        run: docker login -p ${{ secrets.DOCKERHUB_TOKEN }}",
    ],
  },
});

const labels = (hits: { line: number; label: string; removed?: boolean }[]) => hits.map((h) => [h.line, h.label]);

describe("ci-privilege: privileged workflows", () => {
  const prt = ["on:", "  pull_request_target:", "    types: [opened, synchronize]", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4", "        with:"];
  const pr = prt.map((l) => l.replace("pull_request_target", "pull_request"));
  it("checking out the PR head fires under pull_request_target, not under pull_request", () => {
    const line = "          ref: ${{ github.event.pull_request.head.sha }}";
    expect(labels(hitsForAdded(ciPrivilege, wf, line, prt))).toEqual([[10, "checkout of the PR head in a privileged workflow"]]);
    expect(hitsForAdded(ciPrivilege, wf, line, pr)).toEqual([]);
  });
  it("gh pr checkout in an issue_comment workflow fires", () => {
    const ctx = ["on:", "  issue_comment:", "    types: [created]", "jobs:", "  test:", "    steps:", "      - run: |"];
    expect(labels(hitsForAdded(ciPrivilege, wf, "          gh pr checkout ${{ github.event.issue.number }}", ctx))).toEqual([
      [8, "checkout of the PR head in a privileged workflow"],
    ]);
  });
  it("with the whole file, a trigger far above the hunk makes the workflow privileged", () => {
    const content = [...prt, "          ref: ${{ github.event.pull_request.head.ref }}", "      - run: npm ci"].join("\n");
    const patch = ["@@ -8,2 +8,3 @@", "       - uses: actions/checkout@v4", "         with:", "+          ref: ${{ github.event.pull_request.head.ref }}"].join("\n");
    expect(labels(scan(ciPrivilege, [{ path: wf, status: "modified", patch, content }]))).toEqual([[10, "checkout of the PR head in a privileged workflow"]]);
    expect(scan(ciPrivilege, [{ path: wf, status: "modified", patch }])).toEqual([]);
  });
  const checkedOut = [...prt, "          ref: ${{ github.event.pull_request.head.sha }}"];
  it("a secret in the env of a step running PR code fires", () => {
    const ctx = [...checkedOut, "      - run: npm ci && npm test", "        env:"];
    expect(labels(hitsForAdded(ciPrivilege, wf, "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", ctx))).toEqual([
      [13, "secret exposed to PR code in a privileged workflow"],
    ]);
  });
  it("a secret given to a published action's with: does not fire; to a local action from the PR it does", () => {
    const published = [...checkedOut, "      - uses: actions/setup-node@v4", "        with:"];
    expect(hitsForAdded(ciPrivilege, wf, "          token: ${{ secrets.GITHUB_TOKEN }}", published)).toEqual([]);
    const local = [...checkedOut, "      - name: Build", "        uses: ./.github/actions/build", "        with:"];
    expect(labels(hitsForAdded(ciPrivilege, wf, "          token: ${{ secrets.DEPLOY_KEY }}", local))).toEqual([
      [14, "secret exposed to PR code in a privileged workflow"],
    ]);
  });
});

describe("ci-privilege: scripts and values", () => {
  it("a run: | body line is script; a body: | value is not", () => {
    const run = ["    steps:", "      - run: |"];
    expect(labels(hitsForAdded(ciPrivilege, wf, '          echo "${{ github.event.issue.title }}"', run))).toEqual([[3, "untrusted input in a script (injection)"]]);
    const body = ["      - uses: peter-evans/create-or-update-comment@v4", "        with:", "          body: |"];
    expect(hitsForAdded(ciPrivilege, wf, "            Thanks for ${{ github.event.pull_request.title }}!", body)).toEqual([]);
  });
  it("actions/github-script bodies are script", () => {
    const ctx = ["      - uses: actions/github-script@v7", "        with:", "          script: |"];
    expect(hitsForAdded(ciPrivilege, wf, "            const title = '${{ github.event.issue.title }}';", ctx).length).toBe(1);
  });
  it("rewriting a line whose expression was already there does not fire again", () => {
    const hits = scan(ciPrivilege, [
      { path: wf, status: "modified", patch: patchOf(['        run: echo "Title: ${{ github.event.issue.title }}"'], ['        run: echo "${{ github.event.issue.title }}"']) },
    ]);
    expect(hits).toEqual([]);
  });
  it("rewriting a trigger list or a permissions map into block form does not fire", () => {
    const trig = scan(ciPrivilege, [{ path: wf, status: "modified", patch: patchOf(["on:", "  push:", "  pull_request_target:"], ["on: [push, pull_request_target]"]) }]);
    expect(trig).toEqual([]);
    const perms = scan(ciPrivilege, [{ path: wf, status: "modified", patch: patchOf(["permissions:", "  contents: write"], ["permissions: { contents: write }"]) }]);
    expect(perms).toEqual([]);
  });
  it("read to write on one scope fires for that scope", () => {
    const hits = scan(ciPrivilege, [{ path: wf, status: "modified", patch: patchOf(["  contents: write"], ["  contents: read"], ["permissions:"]) }]);
    expect(labels(hits)).toEqual([[2, "contents: write permission"]]);
  });
});

describe("ci-privilege: protections removed", () => {
  const removedOnly = (removed: string[], context: string[]) => scan(ciPrivilege, [{ path: wf, status: "modified", patch: patchOf([], removed, context) }]);
  it("dropping persist-credentials: false fires as a removal", () => {
    const hits = removedOnly(["          persist-credentials: false"], ["      - uses: actions/checkout@v4", "        with:"]);
    expect(hits.map((h) => [h.label, h.removed])).toEqual([["persist-credentials: false removed", true]]);
  });
  it("removing the whole checkout step, or deleting the workflow, does not", () => {
    expect(removedOnly(["      - uses: actions/checkout@v4", "        with:", "          persist-credentials: false"], ["    steps:"])).toEqual([]);
    expect(scan(ciPrivilege, [{ path: wf, status: "removed", patch: patchOf([], ["permissions:", "  contents: read", "      - uses: actions/checkout@v4", "        with:", "          persist-credentials: false"]) }])).toEqual([]);
  });
  it("removing a read-only permissions block fires; removing write-all, or replacing the block, does not", () => {
    const ctx = ["name: ci", "on: pull_request"];
    expect(labels(removedOnly(["permissions:", "  contents: read"], ctx))).toEqual([[3, "read-only permissions removed"]]);
    expect(labels(removedOnly(["permissions: read-all"], ctx))).toEqual([[3, "read-only permissions removed"]]);
    expect(removedOnly(["permissions: write-all"], ctx)).toEqual([]);
    expect(removedOnly(["permissions:", "  contents: write"], ctx)).toEqual([]);
    const replaced = scan(ciPrivilege, [{ path: wf, status: "modified", patch: patchOf(["permissions: {}"], ["permissions:", "  contents: read"], ctx) }]);
    expect(replaced).toEqual([]);
  });
});

describe("ci-privilege: hostile input", () => {
  const hostile = [
    "a".repeat(2000),
    `on: [${"a, ".repeat(665)}`,
    "${{ ".repeat(500),
    `run: echo ${"${{ github.event.".repeat(110)}`,
    `          git fetch ${"git fetch ".repeat(198)}`,
    `    runs-on: ${"self-hosted".repeat(180)}x`,
    `${" ".repeat(1990)}- {}`,
    `  ${"-".repeat(1998)}`,
    `          ref: ${"${{ github.".repeat(180)}`,
  ];
  it("2,000-character lines complete and do not fire", () => {
    for (const line of hostile) expect(hitsForAdded(ciPrivilege, wf, line, ["on: pull_request_target"]), line.slice(0, 20)).toEqual([]);
  });
});
