// Last-seen data kept on the device so the app can open offline.
// Only what the user already saw; the session itself lives in an HttpOnly cookie.
const PREFIX = 'cc:'

export function readCache<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(PREFIX + key)
    return raw ? (JSON.parse(raw) as T) : null
  } catch {
    // Corrupt or blocked storage: behave as if nothing was cached.
    return null
  }
}

export function writeCache(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value))
  } catch {
    // Storage full or disabled (private mode): the app still works online.
  }
}

export function clearCache(key: string): void {
  localStorage.removeItem(PREFIX + key)
}
