// What an operation declares (method, path, access, the schemas of its input and answer): types only, so the
// context's list of operations, the access check and the OpenAPI document read it without the router.
import { type z } from 'zod';
import type { BillingAction } from '../domain';

export type Access =
  /** The service token acting as the platform itself (no X-Acting-User). */
  | { kind: 'platform' }
  /** Any caller who acts for a user, or the platform. */
  | { kind: 'user' }
  /** A team's users whose roles allow every listed action (section 11); the platform may too. */
  | { kind: 'team'; actions: readonly BillingAction[]; description?: string };

export interface OperationSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/v1/teams/{teamId}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: z.ZodType;
  /** What a success answers: JSON unless told (an export answers CSV text). */
  mediaType?: 'application/json' | 'text/csv' | 'application/pdf';
  /** The success status; 200 unless told. */
  status?: 200 | 201 | 202;
  /** Statuses this operation may answer beside the success and the ones every route has. */
  errors?: readonly number[];
}

export type AnyOperation = OperationSpec<z.ZodType, z.ZodType, z.ZodType>;
