export const PHONE_RE = /^1\d{10}$/
export const MIN_PASSWORD = 8

export const isPhone = (v: string) => PHONE_RE.test(v.trim())
export const isPassword = (v: string) => v.length >= MIN_PASSWORD
