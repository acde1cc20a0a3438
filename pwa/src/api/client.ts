const BASE = '/api/v1'
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']

export type FieldErrors = Record<string, string[]>

export class ApiError extends Error {
  code: string
  status: number
  errors: FieldErrors
  /** Facts the server gives with a refusal (a quota and how much of it is used). */
  details: Record<string, unknown>

  constructor(code: string, status: number, message = '', errors: FieldErrors = {}, details: Record<string, unknown> = {}) {
    super(message || code)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.errors = errors
    this.details = details
  }
}

export interface RequestOptions {
  body?: unknown
  form?: FormData
  query?: Record<string, string | number | undefined>
  /** Set false where a 401 is an expected answer (login, the first "who am I"). */
  redirectOn401?: boolean
  /** Extra request headers (an `Idempotency-Key`, say). */
  headers?: Record<string, string>
  /** Sees a successful response before its body is read (to read a header, say). */
  onResponse?: (res: Response) => void
}

type UnauthorizedHandler = (returnPath: string) => void

let onUnauthorized: UnauthorizedHandler = (returnPath) => {
  window.location.assign(`/login?redirect=${encodeURIComponent(returnPath)}`)
}

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

async function refreshCsrf(): Promise<string> {
  await fetch(`${BASE}/auth/csrf`, { credentials: 'same-origin' })
  return readCookie('csrf_token') ?? ''
}

async function csrfToken(): Promise<string> {
  return readCookie('csrf_token') ?? (await refreshCsrf())
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value))
  }
  const qs = params.toString()
  return `${BASE}${path}${qs ? `?${qs}` : ''}`
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const data = await res.json()
    return new ApiError(data.code ?? 'http_error', data.status ?? res.status, data.message, data.errors ?? {}, data.details ?? {})
  } catch {
    // Not our JSON shape (a proxy's HTML page, say): keep the status.
    return new ApiError(res.status >= 500 ? 'server_error' : 'http_error', res.status)
  }
}

function currentPath(): string {
  return window.location.pathname + window.location.search
}

/** An answer boot.js asked for before the app's code arrived; each is taken once, later asks go out afresh. */
function takePrefetched(method: string, path: string, opts: RequestOptions): Promise<Response> | undefined {
  const early = (window as { __prefetched?: Record<string, Promise<Response>> }).__prefetched
  const found = method === 'GET' && !opts.query ? early?.[path] : undefined
  if (found) delete early![path]
  return found
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (WRITE_METHODS.includes(method)) headers['X-CSRF-Token'] = await csrfToken()
  let body: BodyInit | undefined
  if (opts.form) body = opts.form
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  let res: Response
  try {
    res = await (takePrefetched(method, path, opts) ??
      fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' }))
  } catch (e) {
    throw new ApiError('network_error', 0, String(e))
  }
  if (res.ok) opts.onResponse?.(res)
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T
  const err = await toApiError(res)
  if (err.code === 'csrf_failed' && !retried) {
    // The session may have rotated the token: fetch a fresh one and try once more.
    await refreshCsrf()
    return request<T>(method, path, opts, true)
  }
  if (err.status === 401 && opts.redirectOn401 !== false) onUnauthorized(currentPath())
  throw err
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
}
