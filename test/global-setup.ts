import type { TestProject } from "vitest/node";
import pg from "pg";
import { openDb } from "@/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string | null;
  }
}

/**
 * On server Postgres, migrate once into a template database; every test file
 * then gets a fresh copy of it (CREATE DATABASE … TEMPLATE takes milliseconds).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide("templateDb", null);
    return;
  }
  const name = `settle_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDb({ url: target.toString(), driver: "pg" });
  await handle.migrate();
  await handle.close();
  project.provide("templateDb", name);
  return async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
