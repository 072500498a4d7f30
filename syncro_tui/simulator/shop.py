"""The seeded shop's facts and words: its zone and lists, its techs, its customers' names, and what its tickets
say (some of it hostile on purpose: Rich markup, ANSI escapes, control characters)."""

from __future__ import annotations

from datetime import time

TIME_ZONE = "America/Chicago"
#: The seeded day's "now" in the account's zone: no ticket is created or updated after it.
SEED_NOW = time(9, 45)

STATUSES = [
    "New", "In Progress", "Waiting on Customer", "Waiting on Vendor", "Scheduled",
    "Customer Reply", "Resolved", "Invoiced", "Closed",
]
PROBLEM_TYPES = [
    "API", "Email", "Emergency Service", "File Services / Permissions", "Hardware", "Maintenance",
    "New User / M365 Account Creation", "New User / Workstation Deployment", "Not determined",
    "Onsite", "Other", "Phone/VOIP", "Remote", "Security", "Server Migration", "Service Request",
    "Software", "Website",
]
PRIORITIES = ["1 High", "2 Normal", "3 Low", "4 Urgent"]

ALL_PERMISSIONS = {
    "asset": {"read": True, "write": True, "delete": True},
    "customer": {"read": True, "write": True, "delete": False},
    "ticket": {"read": True, "write": True, "delete": False},
    "invoice": {"read": True, "write": True, "delete": False},
    "payment": {"read": True, "write": False, "delete": False},
    "worksheet": {"add": True, "manage": True, "delete": False},
    "script": {"execute": False},
    # "Ticket Canned Responses - Manage": reading them needs it too; a tech's group often lacks it.
    "canned_response": {"manage": False},
}

TECHS = [
    (1843, "Dana Whitfield", "dana", "#2f80ed", True),
    (1851, "Marcus Bell", "marcus", "#27ae60", False),
    (2107, "Priya Natarajan", "priya", "#9b51e0", False),
    (2231, "Tom Okafor", "tom", "#f2994a", False),
]
TECH_IDS = [t[0] for t in TECHS]
FRONT_DESK = (2302, "Front Desk", "frontdesk", "#828282", False)

#: Demo API keys: one per tech, and one whose group lacks every ticket permission.
DEMO_KEY = "demo-key"

BUSINESSES = [
    ("Brightline Dental", 4), ("Cedar Ridge Veterinary", 3), ("Halvorsen & Pike CPAs", 3),
    ("Lakeshore Property Group", 2), ("Marigold Bakery", 1), ("Northgate Physical Therapy", 3),
    ("Oakhurst Law Office", 2), ("Prairie Wind Insurance", 3), ("Quarry Street Architects", 2),
    ("Redfern Logistics", 4), ("Silverleaf Senior Living", 3), ("Tamarack Auto Body", 2),
    ("Union Mill Brewing Co", 2), ("Valley Fresh Grocers", 3), ("Westbrook Family Medicine", 4),
    ("Yellowpine Realty", 2), ("Zenith Plumbing & Heating", 2), ("Anchor Bay Marina", 1),
    ("Bluestem Credit Union", 4), ("Copperline Electric", 2), ("Driftwood Montessori", 3),
    ("Elm & Ivy Interiors", 1), ("Foxglove Florist", 1), ("Granite Peak Engineering", 3),
    ("Heron Point Church", 2), ("Ironwood Machine Shop", 2), ("Juniper Hill Winery", 2),
    ("Kestrel Staffing", 3), ("Brackets [bold red]&[/] Braces Orthodontics", 2), ("Larkspur Chiropractic", 2),
]
INDIVIDUALS = [
    "Jerry Burger", "Alma Whitcomb", "Dev Patel", "Rosa Lindqvist", "Hank Mercer",
    "Sam [dim]O'Neil[/dim]", "Gloria Feng", "Otis Ramirez", "Nadia Kowalski", "Wes Thornbury",
]
FIRST = ["Jordan", "Casey", "Morgan", "Riley", "Taylor", "Avery", "Quinn", "Jamie", "Drew", "Reese",
         "Logan", "Harper", "Rowan", "Emerson", "Parker", "Sydney", "Blake", "Cameron", "Elliot", "Finley"]
LAST = ["Alvarez", "Brennan", "Castillo", "Dunn", "Eriksen", "Foster", "Gallagher", "Hughes", "Ibarra",
        "Jensen", "Kaplan", "Lowry", "Moreno", "Nakamura", "Olsen", "Pruitt", "Quintero", "Sorensen"]
STREETS = ["Main St", "Oak Ave", "Commerce Dr", "Lakeview Rd", "Industrial Pkwy", "Maple St", "2nd Ave", "River Rd"]
CITIES = [("Springfield", "IL", "62701"), ("Decatur", "IL", "62521"), ("Champaign", "IL", "61820"), ("Peoria", "IL", "61602")]

SUBJECTS = [
    ("Outlook keeps asking for password", "Email"),
    ("Printer offline on 2nd floor", "Hardware"),
    ("New hire laptop setup - {first} {last}", "New User / Workstation Deployment"),
    ("M365 account for new employee {first} {last}", "New User / M365 Account Creation"),
    ("VPN drops every 30 minutes", "Remote"),
    ("QuickBooks won't open company file", "Software"),
    ("Replace failing drive in NAS", "Hardware"),
    ("Phishing email reported by front desk", "Security"),
    ("Wi-Fi slow in conference room", "Onsite"),
    ("Server backup failed overnight", "Maintenance"),
    ("SSL certificate expiring on website", "Website"),
    ("Phones not ringing through to reception", "Phone/VOIP"),
    ("Own cloud thing again", "File Services / Permissions"),
    ("Shared drive permissions for accounting", "File Services / Permissions"),
    ("Monthly patching - workstations", "Maintenance"),
    ("Scanner to email stopped working", "Email"),
    ("Migrate file server to new host", "Server Migration"),
    ("Monitor flickering at desk 4", "Hardware"),
    ("Can't print PDFs from browser", "Software"),
    ("Website contact form not sending", "Website"),
    ("Firewall firmware update", "Security"),
    ("Email bouncing to one vendor", "Email"),
    ("Request: add user to Teams channel", "Service Request"),
    ("After-hours: server down, nobody can log in", "Emergency Service"),
    ("Error [red]0x80070005[/red] when saving to share", "File Services / Permissions"),
    ("Laptop battery swelling - {first}", "Hardware"),
    ("Password reset for {first}", "Service Request"),
    ("EHR integration API token expired", "API"),
    ("POS terminal won't connect", "Hardware"),
    ("Slow computer at front desk", "Remote"),
]

ISSUE_BODIES = [
    "{contact} called in: {subject_lc}. Started this morning, affects {count} users.",
    "Customer reports {subject_lc}. They tried restarting, no change.",
    "Email from {contact}: \"{subject}\". Please call back at the office number.",
    "{subject}. Screenshot attached in the email thread.",
]
UPDATE_BODIES = [
    "Remoted in and checked the event logs. Found the cause, applying the fix now.",
    "Ordered the replacement part, ETA two business days.<br>Will schedule install when it arrives.",
    "Called {contact}, left a voicemail to schedule a time.",
    "Applied updates and rebooted. Monitoring for the rest of the day.",
    "Reset the profile and rebuilt the mail cache. Working for the user now.",
]
CUSTOMER_REPLIES = [
    "Thanks! It seems to be working again this afternoon.",
    "Still happening for me, can someone take another look?",
    "Tuesday after 2pm works for us.",
    "We got the new part delivered today.",
]
INTERNAL_NOTES = [
    "Internal: customer is on the old firewall, quote a replacement at renewal.",
    "Internal: vendor case opened, ref in the shared mailbox.",
    "Internal: same issue as last month, consider a project ticket.",
]
RESOLUTIONS = [
    "Resolved: {subject_lc}. Root cause fixed and confirmed with {contact}.",
    "Issue resolved after update and reboot.<br>Customer confirmed everything is working.",
    "Replaced the faulty hardware and verified operation.",
]

HOSTILE_COMMENT = (
    "Customer pasted this from their screen:\x1b[31m ERROR \x1b[0m[bold]ALL CAPS[/bold]\x07\r\n"
    "\x1b]0;owned\x07then a line with [link=http://example.invalid]a link[/link]"
)

#: The account's ticket types (``/tickets/settings``), and which problem types each seeded ticket gets.
TICKET_TYPES = [
    {"id": 9101, "name": "Break/Fix", "disabled": False},
    {"id": 9102, "name": "Project", "disabled": False},
    {"id": 9103, "name": "Onboarding", "disabled": False},
    {"id": 9104, "name": "Maintenance", "disabled": False},
    {"id": 9105, "name": "Legacy (do not use)", "disabled": True},
]
TYPE_OF_PROBLEM = {"Server Migration": 1, "Website": 1, "New User / M365 Account Creation": 2,
                   "New User / Workstation Deployment": 2, "Maintenance": 3}
WORKSHEET_TEMPLATES = [{"id": 4401, "name": "New workstation checklist"}, {"id": 4402, "name": "Onsite visit"}]
#: The account's canned responses (``GET /canned_responses``), in Syncro's shape: HTML bodies, a category each.
#: Some are hostile on purpose (markup and a right-to-left override in a title, an escape in a body), and one
#: carries a password a tech must not send a customer as it stands.
CANNED_CATEGORIES = [{"id": 61, "name": "Replies"}, {"id": 62, "name": "Closing"}]
CANNED_RESPONSES = [
    {"id": 701, "title": "Waiting on you", "subject": "Update", "canned_response_category_id": 61,
     "body": "<p>Hi,</p><p>We are waiting on your reply before we go on. When is a good time to call?</p>"},
    {"id": 702, "title": "Remote session link", "subject": "Update", "canned_response_category_id": 61,
     "body": "<p>Please open <b>https://remote.harborline-it.example</b> and read us the code on screen.</p>"},
    {"id": 703, "title": "Resolved: let us know", "subject": "Resolved", "canned_response_category_id": 62,
     "body": "<p>We believe this is fixed.<br>If anything is still wrong, reply to this email within 7 days.</p>"},
    {"id": 704, "title": "Temporary password", "subject": "Account", "canned_response_category_id": 61,
     "body": "<p>Your temporary password is Welcome2026!x — you will be asked to change it.</p>"},
    {"id": 705, "title": "[bold red]Urgent[/] \u202eeton", "subject": "Update", "canned_response_category_id": 61,
     "body": "<p>Escalated \x1b[31mnow\x1b[0m to the on-call tech.</p>"},
]
SLA = {"id": 71, "name": "Business 8x5"}
CONTRACT = {"id": 8801, "name": "Prepaid block hours"}
