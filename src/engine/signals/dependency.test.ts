import { describe, expect, it } from "vitest";
import { hitsForAdded, patchOf, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { dependency } from "./dependency.js";

signalCases(dependency, {
  fires: {
    "package.json": [
      '    "express": "^4.19.2",',
      '    "@aws-sdk/client-s3": "3.540.0",',
      '\t\t"zod": "~3.22.4"',
      '    "acme-ui": "github:acme/ui#v2.1.0",',
      '    "left-pad": "*"',
    ],
    "apps/web/package.json": ['    "next": "14.1.4",'],
    "composer.json": ['        "guzzlehttp/guzzle": "^7.8",'],
    "requirements.txt": ["requests==2.31.0", "uvicorn[standard]>=0.29", "boto3", "-e git+https://github.com/acme/sdk.git#egg=acme-sdk"],
    "requirements/dev.txt": ["pytest-cov>=5.0  # coverage in CI"],
    "constraints.txt": ["urllib3<2"],
    "pyproject.toml": [
      '    "httpx>=0.27",',
      'fastapi = "^0.110.0"',
      'pydantic = { version = "^2.6", extras = ["email"] }',
    ],
    Pipfile: ['flask = "*"', 'gunicorn = "==21.2.0"'],
    "setup.py": ['        "click>=8.1",', '    install_requires=["requests>=2.31", "attrs"],'],
    "go.mod": ["\tgithub.com/golang-jwt/jwt/v5 v5.2.1", "require golang.org/x/crypto v0.21.0"],
    "build.gradle": [
      "    implementation 'com.squareup.okhttp3:okhttp:4.12.0'",
      "    testImplementation group: 'org.mockito', name: 'mockito-core', version: '5.11.0'",
    ],
    "app/build.gradle.kts": [
      '    implementation("io.jsonwebtoken:jjwt-api:0.12.5")',
      '    implementation(platform("software.amazon.awssdk:bom:2.25.0"))',
      '    id("org.springframework.boot") version "3.2.4"',
    ],
    "gradle/libs.versions.toml": ['okhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }'],
    Gemfile: ['gem "devise", "~> 4.9"', "  gem 'pry-byebug'"],
    "acme.gemspec": ['  spec.add_dependency "faraday", ">= 2.0"', "  spec.add_development_dependency 'rspec', '~> 3.13'"],
    "Cargo.toml": ['serde = { version = "1.0", features = ["derive"] }', 'tokio = "1.36"', "[dependencies.reqwest]", "anyhow.workspace = true"],
    Dockerfile: [
      "FROM node:20-alpine AS build",
      "FROM --platform=$BUILDPLATFORM golang:1.22 AS builder",
      "FROM gcr.io/distroless/static-debian12@sha256:3f5e2b6b5f3c8b1a8e8c0b9f7c0a4f1d2e3c4b5a6978877665544332211000ff",
      "COPY --from=ghcr.io/astral-sh/uv:0.4.9 /uv /bin/uv",
    ],
    "services/api/Dockerfile.prod": ["from python:3.12-slim"],
    ".github/workflows/ci.yml": [
      "      - uses: actions/setup-node@v4",
      "        uses: aquasecurity/trivy-action@0.20.0",
      "      - uses: docker://alpine:3.19",
      "    uses: acme/shared-workflows/.github/workflows/deploy.yml@main",
    ],
    "action.yml": ["      uses: actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9"],
  },
  silent: {
    "package.json": [
      '  "version": "1.2.0",',
      '  "name": "@acme/web",',
      '  "main": "dist/index.js",',
      '  "packageManager": "pnpm@8.15.4",',
      '    "build": "tsc -p tsconfig.build.json",',
      '    "test": "vitest run --coverage"',
      '    "node": ">=20.18.1"',
      '    "npm": ">=10"',
      '    "./package.json": "./package.json",',
      '  "dependencies": {',
      '            "default": "1.2.0",',
      '          "minimumVersion": "1.80.0"',
    ],
    "composer.json": ['        "php": "^8.2",', '        "ext-json": "*",', '            "App\\\\": "src/"'],
    "package-lock.json": ['        "express": "^4.19.2",', '      "resolved": "https://registry.npmjs.org/express/-/express-4.19.2.tgz",'],
    "yarn.lock": ["express@^4.19.2:", '  version "4.19.2"'],
    "pnpm-lock.yaml": ["  /express@4.19.2:"],
    "go.sum": [
      "github.com/golang-jwt/jwt/v5 v5.2.1 h1:OuVbFODueb089Lh128TAcimifWaLhJwVflnrgM17wHk=",
      "github.com/golang-jwt/jwt/v5 v5.2.1/go.mod h1:pqrtFR0X4osieyHYxtmOUWsAWrfe1Q5UVIyoH402zdk=",
    ],
    "Cargo.lock": ['name = "serde"', 'version = "1.0.197"'],
    "poetry.lock": ['name = "httpx"'],
    "go.mod": [
      "go 1.22",
      "toolchain go1.22.1",
      "module github.com/acme/api",
      "\tgolang.org/x/sys v0.18.0 // indirect",
      "replace github.com/acme/lib => ../lib",
      "\tgithub.com/acme/lib v1.0.0 => github.com/acme/fork v1.0.1",
    ],
    "requirements.txt": [
      "-r base.txt",
      "--index-url https://pypi.org/simple",
      "    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
      "# requests==2.31.0",
      "six==1.16.0  # via python-dateutil",
    ],
    "pyproject.toml": [
      'version = "0.3.0"',
      'requires-python = ">=3.10"',
      'python = "^3.11"',
      'python_version = "3.11"',
      'name = "acme-api"',
      'classifiers = ["Programming Language :: Python :: 3"]',
      '    "License :: OSI Approved :: MIT License",',
      "line-length = 100",
      'select = ["E", "F", "I"]',
      'testpaths = ["tests"]',
      "[tool.ruff]",
      '# "httpx>=0.27",',
    ],
    Pipfile: ['python_version = "3.12"', "verify_ssl = true", 'name = "pypi"', 'url = "https://pypi.org/simple"', "[packages]"],
    "setup.py": ['    python_requires=">=3.9",', '    version="1.4.0",', '    "Programming Language :: Python :: 3.12",', '    # "click>=8.1",'],
    "Cargo.toml": ['version = "0.1.0"', 'edition = "2021"', 'rust-version = "1.75"', "version.workspace = true", "opt-level = 3", 'default = ["std"]', "[package]"],
    "pom.xml": ["    <artifactId>acme-api</artifactId>", "      <version>3.2.4</version>"],
    "build.gradle": [
      "    implementation project(':core')",
      "    implementation(libs.okhttp)",
      "    id 'java'",
      "version = '1.0.0'",
      "    // implementation 'com.example:legacy:1.0'",
    ],
    "gradle/libs.versions.toml": ['okhttp = "4.12.0"', "[versions]"],
    Gemfile: ['source "https://rubygems.org"', 'ruby "3.3.0"', "gemspec", '# gem "rails"'],
    Dockerfile: [
      "FROM scratch",
      "FROM ${BASE_IMAGE}",
      "EXPOSE 8080",
      "# FROM node:20",
      "COPY --from=builder /app/dist ./dist",
      "COPY --from=0 /out /out",
      "RUN npm ci --omit=dev",
    ],
    ".github/workflows/ci.yml": ["      - uses: ./.github/actions/setup", "      - run: npm ci", "on: pull_request", "      # - uses: actions/setup-node@v4"],
    "src/app.ts": ['import express from "express";', '  "express": "^4.19.2",'],
    "docs/setup.md": ['gem "devise"', "pip install requests==2.31.0"],
  },
  moved: {
    "package.json": ['    "express": "^4.19.2",'],
    "requirements.txt": ["requests==2.31.0"],
    "go.mod": ["\tgithub.com/golang-jwt/jwt/v5 v5.2.1"],
    Gemfile: ['gem "devise", "~> 4.9"'],
    "build.gradle": ["    implementation 'com.squareup.okhttp3:okhttp:4.12.0'"],
    Dockerfile: ["FROM node:20-alpine AS build"],
    ".github/workflows/ci.yml": ["      - uses: actions/setup-node@v4"],
  },
});

const labels = (hits: { line: number; label: string }[]) => hits.map((h) => [h.line, h.label]);

describe("dependency: package.json sections", () => {
  it("the same line fires in peerDependencies and stays silent in engines", () => {
    const line = '    "typescript": ">=5.0.0"';
    expect(labels(hitsForAdded(dependency, "package.json", line, ['  "peerDependencies": {']))).toEqual([[2, "new npm package"]]);
    expect(hitsForAdded(dependency, "package.json", line, ['  "engines": {'])).toEqual([]);
  });
  it("an override pin is not a new dependency, the same pin in dependencies is", () => {
    const line = '    "lodash": "4.17.21"';
    expect(hitsForAdded(dependency, "package.json", line, ['  "overrides": {'])).toEqual([]);
    expect(hitsForAdded(dependency, "package.json", line, ['  "resolutions": {'])).toEqual([]);
    expect(hitsForAdded(dependency, "package.json", line, ['  "dependencies": {', '    "express": "^4.19.2",']).length).toBe(1);
  });
  it("a script whose value looks like a version does not fire inside scripts", () => {
    expect(hitsForAdded(dependency, "package.json", '    "semver": "7.6.0"', ['  "scripts": {', '    "build": "tsc",'])).toEqual([]);
  });
  it("a section closed above the added line no longer applies", () => {
    const ctx = ['  "dependencies": {', '    "express": "^4.19.2"', "  },", '  "engines": {'];
    expect(hitsForAdded(dependency, "package.json", '    "pnpm": ">=8"', ctx)).toEqual([]);
    expect(hitsForAdded(dependency, "package.json", '    "typescript": "^5.4.0"', ctx)).toEqual([]);
  });
  it("with the whole file, a section header far above the hunk decides", () => {
    const content = [
      "{",
      '  "name": "web",',
      '  "dependencies": {',
      '    "a": "1.0.0",',
      '    "b": "1.0.0",',
      '    "c": "1.0.0",',
      '    "d": "1.0.0",',
      '    "e": "1.0.0"',
      "  },",
      '  "overrides": {',
      '    "f": "1.0.0",',
      '    "g": "1.0.0",',
      '    "h": "1.0.0",',
      '    "i": "1.0.0"',
      "  }",
      "}",
    ];
    const inDeps = ["@@ -5,3 +5,4 @@", '     "b": "1.0.0",', '+    "zz": "2.0.0",', '     "c": "1.0.0",', '     "d": "1.0.0",'].join("\n");
    const depsContent = [...content.slice(0, 5), '    "zz": "2.0.0",', ...content.slice(5)].join("\n");
    expect(labels(scan(dependency, [{ path: "package.json", status: "modified", patch: inDeps, content: depsContent }]))).toEqual([[6, "new npm package"]]);
    const inOverrides = ["@@ -12,3 +12,4 @@", '     "g": "1.0.0",', '+    "zz": "2.0.0",', '     "h": "1.0.0",', '     "i": "1.0.0"'].join("\n");
    const overridesContent = [...content.slice(0, 12), '    "zz": "2.0.0",', ...content.slice(12)].join("\n");
    expect(scan(dependency, [{ path: "package.json", status: "modified", patch: inOverrides, content: overridesContent }])).toEqual([]);
    // Without the file the override's section is unseen: the version-like shape decides (a known miss).
    expect(scan(dependency, [{ path: "package.json", status: "modified", patch: inOverrides }]).length).toBe(1);
  });
});

describe("dependency: a bump or a move is not new", () => {
  const rewrite = (path: string, added: string[], removed: string[]) => scan(dependency, [{ path, status: "modified", patch: patchOf(added, removed) }]);
  it("version bumps stay silent in every manifest", () => {
    expect(rewrite("package.json", ['    "express": "^4.19.2",'], ['    "express": "^4.18.2",'])).toEqual([]);
    expect(rewrite("requirements.txt", ["Django==4.2.11"], ["django==4.2.10"])).toEqual([]);
    expect(rewrite("go.mod", ["\tgolang.org/x/crypto v0.21.0"], ["\tgolang.org/x/crypto v0.17.0"])).toEqual([]);
    expect(rewrite("Gemfile", ['gem "rails", "~> 7.1.3"'], ['gem "rails", "~> 7.0"'])).toEqual([]);
    expect(rewrite("Cargo.toml", ['serde = { version = "1.0.197", features = ["derive"] }'], ['serde = "1.0"'])).toEqual([]);
    expect(rewrite("build.gradle", ["    implementation 'com.squareup.okhttp3:okhttp:4.12.0'"], ["    implementation 'com.squareup.okhttp3:okhttp:4.11.0'"])).toEqual([]);
    expect(rewrite("pyproject.toml", ['    "httpx>=0.27",'], ['    "httpx>=0.25",'])).toEqual([]);
  });
  it("a package moved from devDependencies to dependencies, with a new range, is not new", () => {
    const patch = ["@@ -1,6 +1,6 @@", '   "dependencies": {', '+    "zod": "^3.23.0",', '     "express": "^4.19.2"', "   },", '   "devDependencies": {', '-    "zod": "^3.22.0",', '     "vitest": "^1.4.0"'].join("\n");
    expect(scan(dependency, [{ path: "package.json", status: "modified", patch }])).toEqual([]);
  });
  it("moving from requirements.txt to pyproject.toml is not new (names compared as PyPI does)", () => {
    const hits = scan(dependency, [
      { path: "requirements.txt", status: "removed", patch: patchOf([], ["Django==4.2.11", "python_dateutil==2.9.0"]) },
      { path: "pyproject.toml", status: "modified", patch: patchOf(['    "django>=4.2",', '    "python-dateutil>=2.9",', '    "rich>=13.7",']) },
    ]);
    expect(labels(hits)).toEqual([[3, "new Python package"]]);
  });
  it("moving from Maven to Gradle is not new", () => {
    const hits = scan(dependency, [
      {
        path: "pom.xml",
        status: "removed",
        patch: patchOf([], ["    <dependency>", "      <groupId>com.fasterxml.jackson.core</groupId>", "      <artifactId>jackson-databind</artifactId>", "    </dependency>"]),
      },
      { path: "build.gradle", status: "added", patch: patchOf(["    implementation 'com.fasterxml.jackson.core:jackson-databind:2.17.0'"]) },
    ]);
    expect(hits).toEqual([]);
  });
  it("an image tag or digest bump is not a new base image; a different image is", () => {
    expect(rewrite("Dockerfile", ["FROM node:20-alpine AS build"], ["FROM node:18-alpine AS build"])).toEqual([]);
    expect(rewrite("Dockerfile", ["FROM docker.io/library/node:20@sha256:aaaa"], ["FROM node:20@sha256:bbbb"])).toEqual([]);
    expect(labels(rewrite("Dockerfile", ["FROM cgr.dev/chainguard/node:latest"], ["FROM node:20"]))).toEqual([[1, "new base image"]]);
  });
  it("an action ref or SHA bump is not a new action", () => {
    expect(rewrite(".github/workflows/ci.yml", ["      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11"], ["      - uses: actions/checkout@v3"])).toEqual([]);
  });
});

describe("dependency: structure of manifests", () => {
  it("pom.xml: a dependency's artifactId fires, the project's, a plugin's and an exclusion's do not", () => {
    const added = [
      "    <dependency>",
      "      <groupId>org.bouncycastle</groupId>",
      "      <artifactId>bcprov-jdk18on</artifactId>",
      "      <exclusions>",
      "        <exclusion>",
      "          <artifactId>commons-logging</artifactId>",
      "        </exclusion>",
      "      </exclusions>",
      "    </dependency>",
      "  </dependencies>",
      "  <build><plugins><plugin>",
      "    <artifactId>maven-shade-plugin</artifactId>",
      "  </plugin></plugins></build>",
    ];
    const hits = scan(dependency, [{ path: "pom.xml", status: "modified", patch: patchOf(added, [], ["  <dependencies>"]) }]);
    expect(labels(hits)).toEqual([[4, "new Maven/Gradle dependency"]]);
    expect(hitsForAdded(dependency, "pom.xml", "  <artifactId>acme-api</artifactId>", ["<project>", "  <groupId>com.acme</groupId>"])).toEqual([]);
  });
  it("pyproject.toml: the table decides between a dependency and a script or setting", () => {
    expect(hitsForAdded(dependency, "pyproject.toml", 'rich = "^13.7"', ["[tool.poetry.dependencies]"]).length).toBe(1);
    expect(hitsForAdded(dependency, "pyproject.toml", 'acme = "acme.cli:main"', ["[tool.poetry.scripts]"])).toEqual([]);
    expect(hitsForAdded(dependency, "pyproject.toml", 'docs = ["mkdocs", "mkdocs-material"]', ["[project.optional-dependencies]"]).length).toBe(1);
    expect(hitsForAdded(dependency, "pyproject.toml", 'docs = ["mkdocs", "mkdocs-material"]', ["[tool.hatch.build]"])).toEqual([]);
    expect(hitsForAdded(dependency, "pyproject.toml", '    "structlog",', ["[project]", "dependencies = ["]).length).toBe(1);
    expect(hitsForAdded(dependency, "pyproject.toml", '    "ignore::DeprecationWarning",', ["[tool.pytest.ini_options]", "filterwarnings = ["])).toEqual([]);
    expect(hitsForAdded(dependency, "pyproject.toml", 'requires = ["hatchling"]', ["[build-system]"]).length).toBe(1);
  });
  it("Cargo.toml: [package] fields never fire, an unpinned crate in a known table does", () => {
    expect(hitsForAdded(dependency, "Cargo.toml", 'name = "acme-cli"', ["[package]"])).toEqual([]);
    expect(hitsForAdded(dependency, "Cargo.toml", 'proptest = "1"', ["[dev-dependencies]"]).length).toBe(1);
    expect(hitsForAdded(dependency, "Cargo.toml", 'serde = { git = "https://github.com/acme/serde" }', ["[patch.crates-io]"])).toEqual([]);
    expect(hitsForAdded(dependency, "Cargo.toml", 'nix = "0.28"', ["[target.'cfg(unix)'.dependencies]"]).length).toBe(1);
  });
  it("Pipfile: [requires] and [[source]] entries do not fire, [dev-packages] entries do", () => {
    expect(hitsForAdded(dependency, "Pipfile", 'mypy = "*"', ["[dev-packages]"]).length).toBe(1);
    expect(hitsForAdded(dependency, "Pipfile", 'python_full_version = "3.12.2"', ["[requires]"])).toEqual([]);
  });
  it("setup.py: an unpinned requirement inside install_requires fires, a classifier does not", () => {
    expect(hitsForAdded(dependency, "setup.py", '        "click",', ["    install_requires=["]).length).toBe(1);
    expect(hitsForAdded(dependency, "setup.py", '        "Framework :: Django",', ["    classifiers=["])).toEqual([]);
  });
  it("requirements.txt compiled by pip-compile is a lockfile", () => {
    const content = ["#", "# This file is autogenerated by pip-compile with Python 3.12", "#", "idna==3.6", "requests==2.31.0"].join("\n");
    const patch = ["@@ -4,1 +4,2 @@", " idna==3.6", "+requests==2.31.0"].join("\n");
    expect(scan(dependency, [{ path: "requirements.txt", status: "modified", patch, content }])).toEqual([]);
    expect(scan(dependency, [{ path: "requirements.txt", status: "modified", patch }]).length).toBe(1);
  });
  it("Dockerfile: a stage built from an earlier stage, or a second stage of the same image, is not new", () => {
    expect(hitsForAdded(dependency, "Dockerfile", "FROM build AS test", ["FROM node:20-alpine AS build", "RUN npm ci"])).toEqual([]);
    expect(hitsForAdded(dependency, "Dockerfile", "FROM node:20-alpine AS runtime", ["FROM node:20-alpine AS build", "RUN npm run build"])).toEqual([]);
    expect(labels(hitsForAdded(dependency, "Dockerfile", "FROM nginx:1.25-alpine AS runtime", ["FROM node:20-alpine AS build", "RUN npm run build"]))).toEqual([
      [3, "new base image"],
    ]);
  });
  it("Dockerfile: an untagged bare image is told from a stage name only with the whole file", () => {
    const patch = ["@@ -1,1 +1,2 @@", " FROM golang:1.22 AS build", "+FROM ubuntu"].join("\n");
    expect(hitsForAdded(dependency, "Dockerfile", "FROM ubuntu", ["FROM golang:1.22 AS build"])).toEqual([]);
    expect(labels(scan(dependency, [{ path: "Dockerfile", status: "modified", patch, content: "FROM golang:1.22 AS build\nFROM ubuntu\n" }]))).toEqual([[2, "new base image"]]);
    const stage = ["@@ -1,1 +1,2 @@", " FROM golang:1.22 AS base", "+FROM base"].join("\n");
    expect(scan(dependency, [{ path: "Dockerfile", status: "modified", patch: stage, content: "FROM golang:1.22 AS base\nFROM base\n" }])).toEqual([]);
  });
  it("workflows: a second step with an action the file already uses is not new", () => {
    expect(hitsForAdded(dependency, ".github/workflows/ci.yml", "      - uses: actions/checkout@v4", ["      - uses: actions/checkout@v4", "      - run: make test"])).toEqual([]);
  });
});

describe("dependency: hostile input", () => {
  const paths = [
    "package.json",
    "composer.json",
    "pyproject.toml",
    "Pipfile",
    "setup.py",
    "requirements.txt",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "gradle/libs.versions.toml",
    "go.mod",
    "Gemfile",
    "Dockerfile",
    ".github/workflows/ci.yml",
  ];
  const hostile = [
    '"'.repeat(2000),
    "[".repeat(2000),
    "{".repeat(2000),
    "<dependency>".repeat(166),
    `${" ".repeat(1999)}=`,
    "-".repeat(2000),
    `implementation("${"a:".repeat(995)}`,
    `FROM ${"--a ".repeat(498)}`,
    `  - uses: ${"a/".repeat(995)}`,
    `\t${"a/".repeat(998)} x`,
    `gem ${"(".repeat(1996)}`,
    `    "${"a".repeat(1990)}`,
  ];
  it("2,000-character lines complete and do not fire", () => {
    for (const path of paths) {
      for (const line of hostile) expect(hitsForAdded(dependency, path, line), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
});
