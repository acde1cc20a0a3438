import type { Namespace } from '.'

// The features whose messages each screen shows, by its path's first part ("/polls/3": polls) or, for
// the staff screens of a community, the part after it ("/staff/7/polls/3": staff/polls). A screen also
// needs the features of what it borrows from others: the home screen's contact cards and opening hours,
// the QR reader, the reason dialog of volunteering. tests/unit/screenMessages.spec.ts checks this against
// the keys each screen's code uses. The core (app shell, sign-in, home, "me", errors) is always there.
const SCREENS: Record<string, readonly Namespace[]> = {
  '': ['contacts', 'consult', 'guide', 'points'],
  admin: ['admin'],
  me: ['notices'],
  browse: ['guide'],
  guide: ['guide'],
  facilities: ['guide'],
  contacts: ['contacts', 'consult', 'guide'],
  questions: ['consult', 'consultStaff', 'contacts'],
  notices: ['notices'],
  polls: ['voting'],
  volunteer: ['volunteering', 'volunteeringStaff', 'scanner'],
  verify: ['volunteering'],
  points: ['points'],
  market: ['points'],
  partner: ['points', 'pointsStaff', 'scanner'],
  bookings: ['bookings', 'points', 'scanner'],
  services: ['services', 'guide'],
  staff: [
    'notices',
    'votingStaff',
    'consultStaff',
    'contactsStaff',
    'volunteeringStaff',
    'pointsStaff',
    'bookingsStaff',
    'servicesStaff',
    'facilitiesStaff',
    'guide',
  ],
  'staff/facilities': ['facilitiesStaff', 'guide'],
  'staff/guide': ['guide'],
  'staff/contacts': ['contactsStaff', 'contacts', 'facilitiesStaff'],
  'staff/questions': ['consultStaff', 'consult', 'contacts'],
  'staff/notices': ['notices'],
  'staff/polls': ['votingStaff', 'voting'],
  'staff/volunteers': ['volunteeringStaff', 'volunteering'],
  'staff/activities': ['volunteeringStaff', 'volunteering'],
  'staff/market': ['pointsStaff', 'points', 'scanner'],
  'staff/points': ['pointsStaff', 'points'],
  'staff/partners': ['pointsStaff', 'points'],
  'staff/bookings': ['bookingsStaff', 'bookings', 'volunteeringStaff', 'facilitiesStaff', 'guide'],
  'staff/services': ['servicesStaff', 'services', 'bookings', 'volunteeringStaff', 'facilitiesStaff', 'guide'],
}

/** The features a screen at this path (or route pattern such as /staff/:cid/polls) shows messages of. */
export function screenNamespaces(path: string): readonly Namespace[] {
  const [first = '', , third] = path.split('/').slice(1)
  return SCREENS[first === 'staff' && third ? `staff/${third}` : first] ?? []
}
