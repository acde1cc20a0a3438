import { showToast } from 'vant'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'
import { localizeServerMessages } from './serverMessages'

const t = (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})
const te = (key: string) => i18n.global.te(key, 'zh-CN')

/** The message for an error in the user's language, by its stable code. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (te(`errors.${err.code}`)) return t(`errors.${err.code}`)
    if (err.status >= 500) return t('errors.server_error')
  }
  return t('errors.generic')
}

// Errors inside lists and nested objects come as {"materials": {"0": {"name": [...]}}}: "materials.0.name".
function flatten(errors: object, prefix = ''): [string, unknown][] {
  return Object.entries(errors).flatMap(([key, value]): [string, unknown][] =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  )
}

/**
 * Field errors from a 422 in the user's language, keyed by dotted path; a message we do not know says
 * what is wrong with the field.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {}
  const out: Record<string, string> = {}
  for (const [field, messages] of flatten(err.errors)) {
    const fallback = te(`errors.fields.${field}`) ? t(`errors.fields.${field}`) : t('errors.field_invalid')
    out[field] = localizeServerMessages(messages, fallback)
  }
  return out
}

export function toastError(err: unknown): void {
  showToast({ message: errorMessage(err), wordBreak: 'break-word' })
}
