import { showConfirmDialog } from 'vant'
import { i18n } from '@/i18n'

/** Ask before acting: true when confirmed. What cannot be undone gets the danger colour. */
export function confirmAction(message: string, confirmButtonText: string, danger = false): Promise<boolean> {
  return showConfirmDialog({
    message,
    confirmButtonText,
    cancelButtonText: i18n.global.t('app.cancel'),
    ...(danger ? { confirmButtonColor: 'var(--van-danger-color)' } : {}),
  }).then(
    () => true,
    () => false,
  )
}
