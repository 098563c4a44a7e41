/**
 * Small repositories for `init`, as path -> content: a monorepo with services, CODEOWNERS,
 * a compose file and calls to third parties, and one small app per datastore source.
 */
import type { RepositoryDescription } from "../../src/engine/init/index.js";

export type RepoFiles = Record<string, string>;

export const MONOREPO: RepoFiles = {
  "package.json": JSON.stringify({ name: "acme-platform", private: true, workspaces: ["apps/*", "services/*", "packages/*"] }, null, 2),
  "README.md": "# Acme platform\n\nSee https://docs.acme-platform.dev for the docs.\n",
  ".github/CODEOWNERS": [
    "# Default owners",
    "*                              @acme/platform",
    "/apps/web/                     @acme/frontend jane@acme.example",
    "/services/billing/             @acme/payments @bob",
    "/services/billing/src/ledger/  @acme/ledger",
    "/docs/                         @acme/writers",
    "",
  ].join("\n"),
  "docker-compose.yml": [
    "services:",
    "  postgres:",
    "    image: postgres:16",
    "    environment:",
    "      POSTGRES_PASSWORD: dev",
    "  redis:",
    "    image: redis:7-alpine",
    "  web:",
    "    build: ./apps/web",
    "  proxy:",
    "    image: nginx:1.27",
    "",
  ].join("\n"),
  "infra/k8s/ingress.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n",
  "infra/k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
  "apps/web/package.json": JSON.stringify({ name: "@acme/web", dependencies: { express: "4.21.2" } }, null, 2),
  "apps/web/src/server.ts": [
    'import express from "express";',
    'import { charge } from "./api.js";',
    "",
    "export const app = express();",
    'app.get("/", (_req, res) => res.send("ok"));',
    'app.post("/api/pay", async (req, res) => res.json(await charge(req.body)));',
    "",
  ].join("\n"),
  "apps/web/src/api.ts": [
    "export async function charge(body: unknown): Promise<unknown> {",
    '  const res = await fetch("http://billing:8080/charges", { method: "POST", body: JSON.stringify(body) });',
    "  return res.json();",
    "}",
    "",
    "export async function health(): Promise<boolean> {",
    '  return (await fetch("https://localhost:3000/health")).ok;',
    "}",
    "",
    'export const SVG_NS = "http://www.w3.org/2000/svg";',
    "",
  ].join("\n"),
  "apps/web/app/users/[id]/route.ts": [
    "export async function GET(request: Request): Promise<Response> {",
    "  return new Response(request.url);",
    "}",
    "",
  ].join("\n"),
  "services/billing/package.json": JSON.stringify({ name: "billing", dependencies: { "@prisma/client": "6.0.0", axios: "1.7.0" } }, null, 2),
  "services/billing/src/routes.ts": [
    'import { Router } from "express";',
    'import { createCharge } from "./stripe.js";',
    "",
    "export const router = Router();",
    'router.post("/charges", async (req, res) => res.json(await createCharge(req.body.amount)));',
    "",
  ].join("\n"),
  "services/billing/src/stripe.ts": [
    'import axios from "axios";',
    "",
    "// Stripe's API reference: https://stripe.com/docs/api",
    'const STRIPE_API = process.env.STRIPE_API ?? "https://api.stripe.com/v1";',
    'const STATUS_PAGE = "https://status.acme-partner.com";',
    "",
    "export async function createCharge(amount: number): Promise<string> {",
    "  const res = await axios.post(`${STRIPE_API}/charges`, { amount });",
    "  return res.data.id;",
    "}",
    "",
    "export const statusPage = STATUS_PAGE;",
    "",
  ].join("\n"),
  "services/billing/src/db.ts": 'import { PrismaClient } from "@prisma/client";\n\nexport const prisma = new PrismaClient();\n',
  "services/billing/src/ledger/ledger.ts": [
    'import pg from "pg";',
    "",
    "const pool = new pg.Pool();",
    "",
    "export async function balance(): Promise<unknown> {",
    '  const res = await fetch("https://api.stripe.com/v1/balance");',
    '  await pool.query("SELECT 1");',
    "  return res.json();",
    "}",
    "",
  ].join("\n"),
  "services/billing/prisma/schema.prisma": [
    "datasource db {",
    '  provider = "postgresql"',
    '  url      = env("DATABASE_URL")',
    "}",
    "",
    "model Charge {",
    "  id     String @id",
    "  amount Int",
    "}",
    "",
  ].join("\n"),
  "services/billing/test/stripe.test.ts": 'await fetch("https://api.test-only-host.com/charges");\n',
  "services/notifications/requirements.txt": "redis==5.0.0\nrequests==2.32.0\n",
  "services/notifications/worker.py": [
    "import redis",
    "import requests",
    "",
    "queue = redis.Redis()",
    "",
    "def send(message):",
    '    requests.post("https://api.sendgrid.com/v3/mail/send", json=message, timeout=10)',
    "",
    "def ping():",
    '    requests.get("https://example.com/ping", timeout=5)',
    '    requests.get("https://docs.sendgrid.com/api-reference", timeout=5)',
    '    requests.get("http://10.0.0.7/metrics", timeout=5)',
    "",
  ].join("\n"),
  "packages/ui/package.json": JSON.stringify({ name: "@acme/ui" }, null, 2),
  "packages/ui/src/button.tsx": "export function Button(): string {\n  return \"<button>\";\n}\n",
  "fixtures/legacy/migrations/001_old.sql": "CREATE TABLE old (id int);\n",
  "docs/architecture.md": "# Architecture\n",
  "node_modules/left-pad/index.js": 'fetch("https://api.npm-only.com/x");\n',
};

export const RAILS_APP: RepoFiles = {
  Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "pg"\n',
  "app/controllers/users_controller.rb": "class UsersController < ApplicationController\n  def index\n    @users = User.all\n  end\nend\n",
  "app/models/user.rb": "class User < ApplicationRecord\nend\n",
  "config/routes.rb": 'Rails.application.routes.draw do\n  get "/users", to: "users#index"\nend\n',
  "config/database.yml": "default: &default\n  adapter: postgresql\n  pool: 5\ndevelopment:\n  <<: *default\n  database: app_dev\n",
  "db/schema.rb": "ActiveRecord::Schema.define(version: 1) do\nend\n",
  "db/migrate/20240101000000_create_users.rb": "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n",
};

export const DJANGO_APP: RepoFiles = {
  "manage.py": "import os\nimport sys\n",
  "mysite/settings.py": "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n    }\n}\n",
  "mysite/urls.py": "from django.urls import path\nfrom shop import views\n\nurlpatterns = [\n    path('orders/', views.orders),\n]\n",
  "shop/models.py": "from django.db import models\n\nclass Order(models.Model):\n    total = models.IntegerField()\n",
  "shop/views.py": "def orders(request):\n    return None\n",
  "shop/migrations/0001_initial.py": "from django.db import migrations\n",
};

export const ALEMBIC_APP: RepoFiles = {
  "pyproject.toml": '[project]\nname = "inventory"\nversion = "1.0.0"\n',
  "alembic.ini": "[alembic]\nscript_location = alembic\n",
  "alembic/env.py": "from alembic import context\n",
  "alembic/versions/001_items.py": "def upgrade():\n    pass\n",
  "app/main.py": 'from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\napp = FastAPI()\n\n@app.get("/items")\ndef items():\n    return []\n',
};

export const KNEX_APP: RepoFiles = {
  "package.json": JSON.stringify({ name: "ledger-api" }),
  "knexfile.js": "module.exports = {\n  client: 'pg',\n  connection: process.env.DATABASE_URL,\n};\n",
  "src/db.js": 'const knex = require("knex")(require("../knexfile"));\nmodule.exports = knex;\n',
  "migrations/20240101_users.js": "exports.up = (knex) => knex.schema.createTable('users', () => {});\n",
};

export const ORMCONFIG_APP: RepoFiles = {
  "package.json": JSON.stringify({ name: "catalog" }),
  "ormconfig.json": JSON.stringify({ type: "mysql", host: "localhost" }),
  "src/entity/product.ts": 'import { Entity, PrimaryColumn } from "typeorm";\n\n@Entity()\nexport class Product {\n  @PrimaryColumn() id!: string;\n}\n',
};

export const PRISMA_MONGO_APP: RepoFiles = {
  "package.json": JSON.stringify({ name: "notes" }),
  "prisma/schema.prisma": 'datasource db {\n  provider = "mongodb"\n  url = env("DATABASE_URL")\n}\n',
  "src/notes.ts": 'import { PrismaClient } from "@prisma/client";\nimport { MongoClient } from "mongodb";\nexport const db = new PrismaClient();\nexport const raw = new MongoClient("mongodb://localhost");\n',
};

export const COMPOSE_APP: RepoFiles = {
  "package.json": JSON.stringify({ name: "chat" }),
  "compose.yaml": [
    "services:",
    "  pg:",
    "    image: docker.io/library/postgres:16@sha256:abc",
    "  maria:",
    "    image: mariadb:11",
    "  mongo:",
    "    image: mongo:7",
    "  cache:",
    "    image: bitnami/redis:7.2",
    "  app:",
    "    build: .",
    "",
  ].join("\n"),
  "src/index.js": 'import mongoose from "mongoose";\nimport Redis from "ioredis";\nexport const cache = new Redis();\nexport const conn = mongoose.connect(process.env.MONGO_URL);\n',
};

/** The description the engine takes, with every file given (as a door reading everything would). */
export function describeRepo(files: RepoFiles, name = "repo"): RepositoryDescription {
  return { name, paths: Object.keys(files), files: new Map(Object.entries(files)) };
}
