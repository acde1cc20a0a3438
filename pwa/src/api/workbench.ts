import { api } from './client'
import type { Category } from './notices'

/** What waits for staff in one community: the counts at the top of their home screen. */
export interface WorkbenchNotice {
  id: number
  title: string
  category: Category
  published_at: string
  addressed: number
  read: number
}
export interface Workbench {
  residents_pending: number
  volunteers_pending: number
  hours_pending: number
  bookings_pending: number
  questions_open: number
  questions_overdue: number
  notices: WorkbenchNotice[]
}

export const getWorkbench = (cid: number) => api.get<Workbench>(`/communities/${cid}/workbench`)
