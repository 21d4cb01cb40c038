import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import { healthRoutes } from './health';
import { openApiDocument } from './openapi';
import { notFound, problemHandler } from './problem';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
}

/** The HTTP API, built from the clients it is given: no globals, so tests build it on their own servers. */
export function createApi(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));
  app.use(healthRoutes(deps));
  app.get('/openapi.json', (req, res) => {
    res.json(openApiDocument(`${req.protocol}://${req.get('host') ?? 'localhost'}`));
  });
  app.use(notFound);
  app.use(problemHandler((error) => deps.logger.error({ err: error }, 'unhandled API error')));
  return app;
}
