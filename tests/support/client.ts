import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { checkSnakeCase } from './snake-case';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A raw body string, sent as is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

/** A REST call over real HTTP; the JSON body is parsed when there is one. */
export async function rest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  // The OpenAPI document is OpenAPI's own vocabulary (operationId), not an API body.
  if (!path.startsWith('/openapi.json')) checkSnakeCase(`${method} ${path}`, json);
  return { status: response.status, body: json, headers: response.headers };
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: string[];
    extensions?: { code?: string; details?: Array<{ field: string; message: string }> };
  }>;
}

/** A GraphQL call over real HTTP with a document typed by codegen. */
export async function gql<TData, TVars>(
  baseUrl: string,
  document: TypedDocumentNode<TData, TVars>,
  variables?: TVars,
  token?: string,
): Promise<GraphQLResult<TData>> {
  return gqlRaw<TData>(baseUrl, { query: print(document), variables }, token);
}

export async function gqlRaw<TData = any>(
  baseUrl: string,
  payload: unknown,
  token?: string,
): Promise<GraphQLResult<TData>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify(payload) });
  const json = (await response.json()) as GraphQLResult<TData>;
  return { status: response.status, data: json.data, errors: json.errors };
}

/** The code of the first GraphQL error. */
export function errorCode(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
