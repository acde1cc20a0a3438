// The error codes of backend/points/ and backend/volunteering/, spread into `errors` with the other codes.
import type * as zh from '../zh-CN/featureErrors'

export const pointsErrors: typeof zh.pointsErrors = {
  insufficient_points: 'Not enough points',
  out_of_stock: 'Out of stock',
  monthly_limit_reached: 'Monthly limit reached',
  not_verified: 'Only verified residents of this community can do this',
  idempotency_key_required: 'Something went wrong; refresh and try again',
  idempotency_key_reused: 'This differs from the previous attempt; refresh and try again',
  not_reserved: 'Already handed over, cancelled or expired',
  already_reversed: 'Already reversed',
  stock_below_zero: 'Stock cannot go below 0',
  no_stock_kept: 'This item keeps no stock count',
  not_reversible: 'Only awards can be reversed; cancel a redemption instead',
  busy: 'Busy right now; please try again',
  user_not_found: 'Nobody has registered with this phone; ask them to register first',
  partner_inactive: 'This partner has paused its service; it cannot be redeemed for now',
}

export const volunteeringErrors: typeof zh.volunteeringErrors = {
  not_volunteer: 'Only approved volunteers can sign up',
  activity_not_open: 'This activity is not published yet, or it was cancelled',
  already_registered: 'You have already registered as a volunteer',
  signup_closed: 'Sign-up is closed or the activity is not open',
  already_signed_up: 'You have already signed up',
  missing_skills: 'This activity needs a skill you have not listed',
  time_clash: 'It clashes with another activity you signed up for',
  too_late_to_cancel: 'Too late to cancel here; contact the community',
  token_invalid: 'This is not a check-in code of this community',
  token_expired: 'This code has expired; scan the one shown now',
  not_signed_up: 'You have no confirmed place in this activity',
  not_checked_in: 'Check in before checking out',
  too_early: 'Check-in has not opened yet',
  no_hours: 'No approved hours in this period',
  already_decided: 'These hours have already been decided',
  not_checked_out: 'The volunteer has not checked out yet',
  attendance_changed: 'Someone changed these hours a moment ago; refresh',
  not_approved: 'Only approved hours can be adjusted',
  activity_cancelled: 'The activity was cancelled',
  places_below_signups: 'Places cannot be fewer than the sign-ups',
  not_draft: 'Only drafts can be published',
  name_taken: 'That name is already used',
}
