"""What the demo data is made of: real Craigslist sites and categories, and text to fill posts with.

Everything here is plain data. Weights make the big sites and the busy
categories appear more often, as they do on Craigslist. Contact details are
fictional on purpose: e-mails are Craigslist relay addresses or example.*
domains, phone numbers use the 555-01xx range reserved for fiction.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    site_code: str
    region: str
    weight: float
    area_codes: tuple[str, ...]
    # Rents and car prices differ a lot between sites.
    price_factor: float = 1.0


SITES: tuple[Site, ...] = (
    Site("SF bay area", "sfbay", "CA", 9, ("415", "510", "408", "650"), 1.6),
    Site("Los Angeles", "losangeles", "CA", 9, ("213", "310", "323", "818"), 1.4),
    Site("New York City", "newyork", "NY", 10, ("212", "718", "917", "646"), 1.6),
    Site("Seattle-Tacoma", "seattle", "WA", 6, ("206", "253", "425"), 1.3),
    Site("Chicago", "chicago", "IL", 7, ("312", "773", "847"), 1.1),
    Site("Boston", "boston", "MA", 5, ("617", "781", "857"), 1.4),
    Site("Washington, DC", "washingtondc", "DC", 5, ("202", "301", "703"), 1.3),
    Site("San Diego", "sandiego", "CA", 4, ("619", "858", "760"), 1.3),
    Site("Sacramento", "sacramento", "CA", 3, ("916", "530"), 1.0),
    Site("Portland", "portland", "OR", 4, ("503", "971"), 1.1),
    Site("Philadelphia", "philadelphia", "PA", 4, ("215", "267", "610"), 1.0),
    Site("Atlanta", "atlanta", "GA", 5, ("404", "678", "770"), 0.95),
    Site("South Florida", "miami", "FL", 5, ("305", "786", "954"), 1.1),
    Site("Orlando", "orlando", "FL", 3, ("407", "321"), 0.9),
    Site("Austin", "austin", "TX", 4, ("512", "737"), 1.05),
    Site("Dallas / Fort Worth", "dallas", "TX", 5, ("214", "469", "817"), 0.95),
    Site("Houston", "houston", "TX", 5, ("713", "281", "832"), 0.9),
    Site("Denver", "denver", "CO", 4, ("303", "720"), 1.1),
    Site("Phoenix", "phoenix", "AZ", 4, ("602", "480", "623"), 0.9),
    Site("Las Vegas", "lasvegas", "NV", 3, ("702", "725"), 0.9),
    Site("Minneapolis / St Paul", "minneapolis", "MN", 3, ("612", "651", "763"), 0.95),
    Site("Detroit metro", "detroit", "MI", 3, ("313", "248", "734"), 0.8),
    Site("Nashville", "nashville", "TN", 3, ("615", "629"), 0.95),
    Site("New Orleans", "neworleans", "LA", 2, ("504",), 0.85),
    Site("Salt Lake City", "saltlakecity", "UT", 2, ("801", "385"), 0.9),
    Site("Raleigh / Durham / CH", "raleigh", "NC", 3, ("919", "984"), 0.9),
)


@dataclass(frozen=True)
class PriceRule:
    """How a category prices its posts: a log-uniform range, rounded, sometimes left empty."""

    low: float
    high: float
    round_to: int = 1
    empty_share: float = 0.08
    scales_with_site: bool = False


@dataclass(frozen=True)
class CategoryContent:
    name: str
    code: str
    weight: float
    # Relay mail sub-domain Craigslist uses for this kind of post.
    relay: str
    items: tuple[str, ...]
    adjectives: tuple[str, ...]
    # Title patterns may use {item}, {adj}, {extra} and {price} (the price as written in a title).
    title_patterns: tuple[str, ...]
    extras: tuple[str, ...]
    openers: tuple[str, ...]
    details: tuple[str, ...]
    closers: tuple[str, ...]
    price: PriceRule | None
    # Share of posts that show some contact detail; the rest ask you to reply through Craigslist.
    contact_share: float = 0.6


_SALE_CLOSERS = (
    "Cash or Venmo, pick up only.",
    "No holds, first come first served.",
    "Serious buyers only please, no lowballers.",
    "Can meet at a public place nearby.",
    "If the post is up it is still available.",
    "Price is firm.",
    "Open to reasonable offers.",
    "Text is best, I respond fast.",
)

CATEGORIES: tuple[CategoryContent, ...] = (
    CategoryContent(
        name="for sale",
        code="sss",
        weight=10,
        relay="sale",
        items=(
            "record player",
            "kayak with paddle",
            "camping tent",
            "sewing machine",
            "guitar amp",
            "espresso machine",
            "golf clubs set",
            "snowboard and bindings",
            "baby stroller",
            "vintage camera",
            "vinyl record collection",
            "stand mixer",
            "treadmill",
            "aquarium with stand",
            "acoustic guitar",
            "car seat",
            "pressure washer",
            "lawn mower",
            "ski boots",
            "board game collection",
        ),
        adjectives=("Vintage", "Like new", "Barely used", "Great condition", "Almost new", "Classic", "Working"),
        title_patterns=("{adj} {item}", "{item} - {extra}", "{adj} {item} - {extra}", "{item}"),
        extras=("must go", "moving sale", "works great", "priced to sell", "OBO", "pick up today", "excellent shape"),
        openers=(
            "Selling my {item}, {adj_lower} and ready to go.",
            "Up for sale: {item} in {adj_lower} condition.",
            "Moving out of {site} and need to sell this {item}.",
            "{adj} {item}, only used a handful of times.",
        ),
        details=(
            "Everything works as it should, no issues.",
            "Comes with the original box and manual.",
            "Some light wear, see photos.",
            "Non-smoking, pet-free home.",
            "Retails for much more new.",
            "Stored indoors in a clean garage.",
        ),
        closers=_SALE_CLOSERS,
        price=PriceRule(low=10, high=1500, round_to=5),
    ),
    CategoryContent(
        name="furniture",
        code="fua",
        weight=6,
        relay="sale",
        items=(
            "mid-century walnut dresser",
            "leather sofa",
            "sectional couch",
            "dining table with 4 chairs",
            "queen bed frame",
            "IKEA bookshelf",
            "standing desk",
            "office chair",
            "coffee table",
            "solid oak nightstand",
            "tufted armchair",
            "king mattress",
            "TV stand",
            "bar stools (set of 3)",
            "velvet loveseat",
        ),
        adjectives=("Mid-century", "Solid wood", "Like new", "Vintage", "Modern", "Gently used", "Restored"),
        title_patterns=("{adj} {item}", "{item} - {extra}", "{item}", "{adj} {item} - {extra}"),
        extras=("delivery available", "must go this week", "moving sale", "smoke free home", "OBO"),
        openers=(
            "{adj} {item} from a smoke-free home in {site}.",
            "Selling our {item}, we are downsizing.",
            "Beautiful {item}, {adj_lower} and very sturdy.",
        ),
        details=(
            "Measurements in the photos.",
            "A few small scratches, nothing structural.",
            "You will need a truck or a large SUV.",
            "Disassembles for easy transport.",
            "Bought two years ago for twice the price.",
        ),
        closers=_SALE_CLOSERS,
        price=PriceRule(low=25, high=2500, round_to=5),
    ),
    CategoryContent(
        name="electronics",
        code="ele",
        weight=6,
        relay="sale",
        items=(
            "iPhone 15 Pro 256GB",
            "MacBook Air M2",
            "Samsung 65in 4K TV",
            "PlayStation 5",
            "Nintendo Switch OLED",
            "Sony noise-cancelling headphones",
            "iPad Air",
            "gaming PC (RTX 4070)",
            "Canon DSLR with 2 lenses",
            "Bose soundbar",
            "Dell 27in monitor",
            "Xbox Series X",
            "DJI drone",
            "Apple Watch Series 9",
        ),
        adjectives=("Unlocked", "Like new", "Mint", "Factory reset", "Barely used", "Sealed"),
        title_patterns=("{item} - {adj}", "{adj} {item}", "{item} - {extra}", "{item}"),
        extras=("with charger", "in box", "no trades", "receipt included", "AppleCare included"),
        openers=(
            "Selling my {item}, {adj_lower}.",
            "{item} for sale, upgraded and no longer need it.",
            "Up for grabs: {item}, {adj_lower}, works perfectly.",
        ),
        details=(
            "Battery health is excellent.",
            "Always kept in a case with a screen protector.",
            "Comes with all original accessories.",
            "Factory reset and ready for a new owner.",
            "Serial number available on request.",
        ),
        closers=(*_SALE_CLOSERS, "Happy to test it in front of you before you pay."),
        price=PriceRule(low=40, high=2500, round_to=5),
    ),
    CategoryContent(
        name="cars & trucks",
        code="cta",
        weight=7,
        relay="sale",
        items=(
            "2014 Honda Civic LX",
            "2017 Toyota Camry SE",
            "2012 Ford F-150 XLT",
            "2019 Subaru Outback",
            "2010 Toyota Tacoma",
            "2016 Mazda CX-5",
            "2008 Honda Accord",
            "2020 Tesla Model 3",
            "2015 Jeep Wrangler",
            "2011 Chevy Silverado 1500",
            "2018 Nissan Rogue",
            "2006 Toyota Prius",
            "2013 BMW 328i",
            "2021 Ford Ranger",
        ),
        adjectives=("Clean title", "One owner", "Low miles", "Runs great", "Well maintained", "Smog checked"),
        title_patterns=("{item} - {adj}", "{item} {extra}", "{adj} {item}", "{item}"),
        extras=("- clean title", "- low miles", "4x4", "- new tires", "- cash only", "AWD"),
        openers=(
            "{item}, {adj_lower}, {miles} miles.",
            "Selling my {item} with {miles} miles.",
            "{adj} {item}, {miles} miles, title in hand.",
        ),
        details=(
            "Recent oil change and new brakes.",
            "No accidents, clean Carfax.",
            "Cold A/C, everything works.",
            "Registration current.",
            "Maintenance records available.",
            "Minor door ding on the passenger side.",
        ),
        closers=(
            "Cash only, no trades, no payment plans.",
            "Serious buyers only, test drive with proof of funds.",
            "Price is firm, clean title in hand.",
            "Call or text, no scammers please.",
        ),
        price=PriceRule(low=2500, high=42000, round_to=100, empty_share=0.03, scales_with_site=True),
        contact_share=0.75,
    ),
    CategoryContent(
        name="bicycles",
        code="bia",
        weight=3,
        relay="sale",
        items=(
            "Trek road bike 56cm",
            "Specialized mountain bike",
            "vintage Schwinn cruiser",
            "fixie bike",
            "kids bike 20in",
            "electric bike (Rad Power)",
            "Cannondale hybrid bike",
            "BMX bike",
            "carbon road bike",
            "cargo bike",
        ),
        adjectives=("Tuned up", "Like new", "Vintage", "Lightweight", "Great condition"),
        title_patterns=("{item} - {adj}", "{adj} {item}", "{item} - {extra}", "{item}"),
        extras=("new tires", "ready to ride", "with lock and lights", "size medium"),
        openers=("{adj} {item}, ridden a few times.", "Selling my {item}, just had a full tune-up."),
        details=(
            "Shifts smoothly, brakes are great.",
            "New chain and tubes.",
            "Fits riders 5'6\" to 6'0\".",
            "Some scuffs on the frame, rides perfectly.",
        ),
        closers=_SALE_CLOSERS,
        price=PriceRule(low=40, high=3000, round_to=5),
    ),
    CategoryContent(
        name="tools",
        code="tla",
        weight=3,
        relay="sale",
        items=(
            "DeWalt 20V drill set",
            "Milwaukee impact driver",
            "table saw",
            "air compressor",
            "mechanic tool set",
            "Makita circular saw",
            "rolling tool chest",
            "generator 3500W",
            "shop vac",
            "welder",
        ),
        adjectives=("Barely used", "Heavy duty", "Like new", "Professional", "Working"),
        title_patterns=("{item} - {adj}", "{adj} {item}", "{item} {extra}", "{item}"),
        extras=("with batteries", "and charger", "- contractor grade", "- lot of tools"),
        openers=("{adj} {item} for sale.", "Cleaning out the garage: {item}, {adj_lower}."),
        details=("Batteries hold a full charge.", "Comes with case.", "Used for one remodel project."),
        closers=_SALE_CLOSERS,
        price=PriceRule(low=15, high=900, round_to=5),
    ),
    CategoryContent(
        name="free stuff",
        code="zip",
        weight=3,
        relay="sale",
        items=(
            "moving boxes",
            "old couch",
            "firewood",
            "fill dirt",
            "kids toys",
            "working fridge",
            "scrap wood",
            "books",
            "desk",
            "patio chairs",
            "baby clothes",
        ),
        adjectives=("Free", "Curb alert:", "FREE", "Free -"),
        title_patterns=("{adj} {item}", "{adj} {item} {extra}", "{item} - free"),
        extras=("must pick up", "on the curb", "today only", "first come first served"),
        openers=("Giving away {item}, just come and get it.", "Free {item}, {extra}."),
        details=("It is on the curb now.", "You haul it away.", "Still in decent shape."),
        closers=("Please do not ask if it is available, if the post is up it is.", "No holds."),
        price=PriceRule(low=0, high=0, empty_share=0.7),
        contact_share=0.3,
    ),
    CategoryContent(
        name="housing",
        code="hhh",
        weight=7,
        relay="hous",
        items=(
            "Bright top-floor unit with parking",
            "Remodeled apartment near transit",
            "Cozy studio in quiet building",
            "Room for rent in shared house",
            "Townhouse with garage",
            "Spacious unit with in-unit laundry",
            "Garden apartment, pets OK",
            "Condo with pool and gym",
            "Charming cottage with yard",
        ),
        adjectives=("Available now", "Move-in special", "No fee", "Pet friendly", "Newly renovated"),
        title_patterns=("{price} / {extra} - {item}", "{price} {extra} - {adj}", "{item} - {adj}"),
        extras=("1br - 650ft2", "2br - 900ft2", "studio - 450ft2", "3br - 1300ft2", "1br", "2br - 1050ft2"),
        openers=(
            "{item} in {site}, {adj_lower}.",
            "{adj}! {item} available for move-in.",
            "We are renting a {item_lower} in {site}.",
        ),
        details=(
            "Hardwood floors, dishwasher and lots of natural light.",
            "Water and trash included.",
            "Walking distance to shops and transit.",
            "One year lease, first month and deposit to move in.",
            "Street parking, permit available.",
            "Cats and small dogs considered.",
        ),
        closers=(
            "Email to schedule a showing.",
            "Applications accepted online, credit check required.",
            "Open house this Saturday.",
        ),
        price=PriceRule(low=900, high=4200, round_to=25, empty_share=0.02, scales_with_site=True),
        contact_share=0.55,
    ),
    CategoryContent(
        name="jobs",
        code="jjj",
        weight=8,
        relay="job",
        items=(
            "Line cook",
            "Warehouse associate",
            "Dental assistant",
            "Python developer (Django)",
            "Delivery driver",
            "Barista",
            "Administrative assistant",
            "Electrician apprentice",
            "Bookkeeper",
            "Retail sales associate",
            "Medical receptionist",
            "HVAC technician",
            "Forklift operator",
            "Marketing coordinator",
            "Customer service representative",
            "Landscaper",
        ),
        adjectives=("Full time", "Part time", "Hiring now", "Immediate start", "Remote", "Weekly pay"),
        title_patterns=("{item} - {adj}", "Hiring: {item} ({extra})", "{item} needed - {extra}", "{item}"),
        extras=("$20-$28/hr", "benefits", "sign-on bonus", "no experience needed", "$65k-$85k", "flexible hours"),
        openers=(
            "We are hiring a {item_lower} to join our team in {site}.",
            "{adj}: {item} position open at a growing local company.",
            "Looking for a reliable {item_lower}, {adj_lower}.",
        ),
        details=(
            "Pay depends on experience, paid weekly.",
            "Health, dental and 401k after 90 days.",
            "Must pass a background check.",
            "Training provided, great team.",
            "Bilingual English/Spanish a plus.",
            "Remote work possible two days a week.",
        ),
        closers=("Reply with your resume.", "Apply in person Monday to Friday.", "Email your resume and availability."),
        price=None,
        contact_share=0.7,
    ),
    CategoryContent(
        name="gigs",
        code="ggg",
        weight=3,
        relay="gigs",
        items=(
            "Help moving a couch",
            "Event photographer",
            "Extras for a film shoot",
            "Yard cleanup helper",
            "Website fix (WordPress)",
            "Dog sitter this weekend",
            "Focus group participants",
            "Furniture assembly",
            "Tutor for high school math",
        ),
        adjectives=("Paid", "Cash", "Quick gig", "Today", "This weekend"),
        title_patterns=("{item} - {adj}", "{adj}: {item}", "{item} ({extra})"),
        extras=("2 hours", "cash paid", "$25/hr", "one day", "flexible"),
        openers=("Need {item_lower}, {adj_lower}.", "Looking for someone for {item_lower}."),
        details=("Should take two to three hours.", "Paid in cash at the end.", "Must have own transportation."),
        closers=("Text me with your availability.", "Reply with a little about yourself."),
        price=PriceRule(low=25, high=500, round_to=5, empty_share=0.5),
        contact_share=0.65,
    ),
    CategoryContent(
        name="services",
        code="bbb",
        weight=5,
        relay="serv",
        items=(
            "House cleaning",
            "Handyman services",
            "Moving help with truck",
            "Lawn care and landscaping",
            "Junk removal",
            "Computer repair",
            "Interior painting",
            "Plumbing repairs",
            "Math and science tutoring",
            "Wedding photography",
            "Auto detailing",
        ),
        adjectives=("Licensed and insured", "Affordable", "Same day", "Reliable", "Free estimates"),
        title_patterns=("{item} - {adj}", "{adj} {item_lower}", "{item} ({extra})"),
        extras=("free estimates", "20 years experience", "same day service", "references available"),
        openers=("{item}: {adj_lower}, serving all of {site}.", "Professional {item_lower} at fair prices."),
        details=(
            "Licensed, bonded and insured.",
            "Hundreds of happy customers.",
            "Evenings and weekends available.",
            "Senior and veteran discounts.",
        ),
        closers=("Call or text for a free quote.", "Email photos of the job for an estimate."),
        price=PriceRule(low=40, high=400, round_to=5, empty_share=0.7),
        contact_share=0.9,
    ),
    CategoryContent(
        name="community",
        code="ccc",
        weight=2,
        relay="comm",
        items=(
            "Lost dog near the park",
            "Volunteers needed for food bank",
            "Pickup soccer on Sundays",
            "Book club looking for members",
            "Found keys downtown",
            "Band seeking drummer",
            "Community garden plots open",
            "Free yoga in the park",
        ),
        adjectives=("Please share", "All welcome", "Weekly", "Urgent", "Neighbors"),
        title_patterns=("{item}", "{item} - {adj}", "{adj}: {item}"),
        extras=("all welcome", "this weekend", "reward"),
        openers=("{item} in {site}.", "Hi neighbors, {item_lower}."),
        details=("Everyone is welcome.", "Meeting every Sunday at 10am.", "Please share with friends."),
        closers=("Reply here if you are interested.", "Thanks for reading!"),
        price=None,
        contact_share=0.4,
    ),
)

FIRST_NAMES: tuple[str, ...] = (
    "James", "Maria", "Robert", "Linda", "Michael", "Jennifer", "David", "Patricia", "Carlos", "Emily",
    "Daniel", "Sarah", "Kevin", "Jessica", "Jose", "Ashley", "Brian", "Amanda", "Anthony", "Nicole",
    "Chris", "Laura", "Mark", "Megan", "Steve", "Rachel", "Tom", "Lisa", "Juan", "Karen",
    "Andre", "Mei", "Raj", "Priya", "Luis", "Ana", "Tyler", "Hannah", "Omar", "Fatima",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Lee", "Martinez", "Davis", "Rodriguez", "Wilson",
    "Anderson", "Taylor", "Thomas", "Hernandez", "Moore", "Kim", "Jackson", "White", "Lopez", "Clark",
    "Patel", "Chen", "Walker", "Young", "Hall", "Allen", "King", "Wright", "Scott", "Green",
)  # fmt: skip

PERSONAL_MAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org")

RUN_ERRORS_FAILED: tuple[str, ...] = (
    "HTTP 403 Forbidden from https://{site}.craigslist.org/search/{code}: blocked, try again later.",
    "Timed out after 30 s fetching https://{site}.craigslist.org/search/{code}.",
    "Could not parse the result list: the page layout changed (no .cl-search-result elements).",
    "Connection reset by peer while fetching page 1.",
    "DNS lookup failed for {site}.craigslist.org.",
)

RUN_ERRORS_PARTIAL: tuple[str, ...] = (
    "Stopped after page {page}: HTTP 429 Too Many Requests.",
    "Page {page} timed out after 30 s; results before it were kept.",
    "{skipped} posts skipped: the detail page returned HTTP 410 Gone (post deleted).",
    "{skipped} posts skipped: could not parse the price.",
)
