"""Name, place and street lists for the synthetic population.

Everything here is a list of common given names, family names and place words.
People are made by combining entries at random, so no generated person is a
real one.  Weights are rough and only shape the mix (for example Khan,
Hussain, Ahmed and Ali are very common among British Pakistani drivers, so many
different synthetic people share them).

Weighted lists are written as ``(value, weight)`` pairs; ``expand`` turns them
into flat tuples so a uniform pick from the tuple is a weighted pick.
"""

from __future__ import annotations

import unicodedata


def expand(pairs):
    """Flatten ``(value, integer weight)`` pairs into a tuple for O(1) picks."""
    out = []
    for value, weight in pairs:
        out.extend([value] * int(weight))
    return tuple(out)


def ascii_fold(text: str) -> str:
    """Strip diacritics (Wiśniewski -> Wisniewski, Łukasz -> Lukasz)."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("Ø", "O").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# ---------------------------------------------------------------------------
# British Pakistani (mostly Mirpuri) names
# ---------------------------------------------------------------------------

# Canonical (as on a passport) spellings of Muhammad, weighted.
MUHAMMAD_CANONICAL = expand([
    ("Mohammed", 34), ("Muhammad", 30), ("Mohammad", 16), ("Mohamed", 8),
    ("Muhammed", 7), ("Mohamad", 5),
])
# Every way the name turns up in council records.
MUHAMMAD_FAMILY = (
    "Muhammad", "Mohammed", "Mohammad", "Mohamed", "Muhammed", "Mohamad",
    "Mohd", "Md",
)
# What a record clerk is likely to write for each canonical spelling.
MUHAMMAD_RECORD_VARIANTS = expand([
    ("Muhammad", 5), ("Mohammed", 5), ("Mohammad", 4), ("Mohamed", 3),
    ("Muhammed", 3), ("Mohamad", 2), ("Mohd", 3), ("Md", 2),
])

PAK_MALE_GIVEN = expand([
    ("Asif", 8), ("Imran", 9), ("Tariq", 8), ("Zahid", 6), ("Shahid", 7),
    ("Nadeem", 6), ("Khalid", 6), ("Arshad", 6), ("Amjad", 6), ("Naveed", 5),
    ("Waqar", 4), ("Kashif", 5), ("Sajid", 6), ("Rizwan", 5), ("Abid", 5),
    ("Zafar", 5), ("Adil", 4), ("Bilal", 5), ("Usman", 5), ("Hamza", 4),
    ("Faisal", 5), ("Imtiaz", 4), ("Naeem", 4), ("Waseem", 5), ("Shakeel", 4),
    ("Tahir", 4), ("Sohail", 4), ("Rashid", 4), ("Majid", 4), ("Saleem", 4),
    ("Nasir", 4), ("Azhar", 3), ("Javed", 4), ("Pervaiz", 3), ("Riaz", 3),
    ("Aftab", 3), ("Shafiq", 3), ("Haroon", 3), ("Irfan", 4), ("Junaid", 3),
    ("Kamran", 4), ("Mubashir", 2), ("Nabeel", 2), ("Omar", 3), ("Qasim", 3),
    ("Sarfraz", 3), ("Tanveer", 3), ("Yasir", 3), ("Zeeshan", 3), ("Ali", 4),
    ("Hassan", 4), ("Akram", 3), ("Mushtaq", 3), ("Ishtiaq", 3), ("Liaqat", 3),
    ("Nazir", 2), ("Shaukat", 2), ("Zulfiqar", 2), ("Arif", 3), ("Ijaz", 3),
    ("Jamil", 2), ("Khurram", 3), ("Mehboob", 2), ("Raheel", 2), ("Yousaf", 3),
    ("Farooq", 3), ("Haider", 2), ("Abbas", 2), ("Zubair", 3), ("Wasim", 2),
    ("Asad", 2), ("Fahad", 2), ("Danish", 1), ("Saqib", 2), ("Atif", 2),
])
# Compound given names, as (first part, second part).
PAK_COMPOUNDS = expand([
    (("Abdul", "Rahman"), 5), (("Abdul", "Majid"), 3), (("Abdul", "Hameed"), 3),
    (("Abdul", "Qadir"), 2), (("Abdul", "Ghafoor"), 2), (("Abdul", "Aziz"), 2),
    (("Abdul", "Rauf"), 2), (("Abdul", "Wahid"), 2), (("Ghulam", "Mustafa"), 2),
    (("Ghulam", "Rasool"), 2), (("Ghulam", "Nabi"), 1),
])
COMPOUND_PREFIXES = ("Abdul", "Ghulam")
# Second names that are often a father's or family name.
FAMILY_MIDDLE_NAMES = expand([
    ("Mahmood", 4), ("Iqbal", 4), ("Hussain", 4), ("Ahmed", 3), ("Ali", 4),
    ("Akhtar", 3), ("Javed", 2), ("Aslam", 2), ("Nazir", 2), ("Rafiq", 2),
    ("Bashir", 2), ("Sadiq", 2), ("Ashraf", 2), ("Latif", 1), ("Hanif", 1),
])
PAK_FEMALE_GIVEN = expand([
    ("Nasreen", 4), ("Shazia", 5), ("Samina", 4), ("Rubina", 4), ("Farzana", 4),
    ("Naila", 3), ("Saima", 5), ("Amina", 3), ("Fatima", 5), ("Ayesha", 5),
    ("Rukhsana", 3), ("Parveen", 3), ("Shabana", 4), ("Nighat", 2), ("Tahira", 3),
    ("Yasmin", 4), ("Sadia", 4), ("Aisha", 4), ("Zainab", 3), ("Bushra", 3),
    ("Sobia", 2), ("Nabila", 3), ("Uzma", 3), ("Sumera", 2), ("Asma", 3),
])
PAK_FEMALE_SECOND = ("Bibi", "Begum", "Akhtar", "Kausar", "Parveen")

PAK_SURNAMES = expand([
    ("Khan", 220), ("Hussain", 120), ("Ahmed", 100), ("Ali", 90), ("Iqbal", 50),
    ("Mahmood", 50), ("Rehman", 40), ("Shah", 40), ("Akhtar", 30), ("Butt", 30),
    ("Malik", 30), ("Raja", 20), ("Bashir", 20), ("Aslam", 20), ("Sadiq", 18),
    ("Rafiq", 18), ("Chaudhry", 18), ("Mirza", 14), ("Qureshi", 14), ("Anwar", 14),
    ("Javed", 14), ("Ashraf", 12), ("Yousaf", 10), ("Saleem", 10), ("Nazir", 10),
    ("Riaz", 10), ("Hanif", 8), ("Latif", 8), ("Arif", 8), ("Younis", 8),
    ("Zaman", 8), ("Kayani", 6), ("Abbasi", 6), ("Awan", 6), ("Bhatti", 6),
    ("Dar", 6), ("Jan", 5), ("Hafeez", 5), ("Sabir", 5), ("Farooq", 6),
    ("Rashid", 6), ("Siddique", 6), ("Sultan", 5), ("Bukhari", 4), ("Ismail", 5),
])
PAK_FEMALE_SURNAMES_EXTRA = expand([
    ("Bibi", 5), ("Begum", 4), ("Akhtar", 4), ("Kausar", 2), ("Parveen", 2),
])
TITLES = ("Syed", "Mirza", "Haji", "Sheikh")

# ---------------------------------------------------------------------------
# Other South Asian: Sikh, Hindu (mostly Gujarati/Punjabi), Bangladeshi
# ---------------------------------------------------------------------------
SIKH_MALE_GIVEN = ("Gurpreet", "Harjit", "Jaswinder", "Kulwinder", "Manjit", "Sukhwinder",
                   "Amarjit", "Balwinder", "Harpreet", "Rajinder", "Paramjit", "Jasbir",
                   "Sukhdev", "Gurdeep", "Inderjit", "Ranjit", "Satnam", "Baljit")
SIKH_FEMALE_GIVEN = ("Gurpreet", "Harjit", "Jaswinder", "Kulwinder", "Manjit", "Sukhwinder",
                     "Amarjit", "Harpreet", "Rajwinder", "Parminder", "Jasbir", "Manpreet")
SIKH_FAMILY_SURNAMES = ("Sandhu", "Gill", "Dhillon", "Sidhu", "Bains", "Johal", "Sahota",
                        "Virdi", "Grewal", "Bassi", "Dhaliwal", "Atwal")
HINDU_MALE_GIVEN = ("Rajesh", "Sanjay", "Ashok", "Vijay", "Dinesh", "Mukesh", "Nitin",
                    "Pradeep", "Suresh", "Ramesh", "Hitesh", "Kiran", "Deepak", "Amit",
                    "Anil", "Sunil", "Manoj", "Rakesh", "Jayesh", "Paresh")
HINDU_FEMALE_GIVEN = ("Priya", "Anjali", "Meena", "Sunita", "Kavita", "Rekha", "Neeta",
                      "Hema", "Bhavna", "Jyoti", "Pooja", "Nisha")
HINDU_MIDDLE = ("Kumar", "Bhai", "Lal", "Chandra")
HINDU_SURNAMES = expand([
    ("Patel", 30), ("Sharma", 10), ("Shah", 8), ("Mistry", 6), ("Parmar", 5),
    ("Joshi", 5), ("Mehta", 4), ("Kumar", 6), ("Gupta", 4), ("Chauhan", 4),
    ("Solanki", 3), ("Thakkar", 2), ("Desai", 3), ("Verma", 3),
])
BANGLA_MALE_GIVEN = ("Shahjahan", "Jamal", "Kamal", "Rafiqul", "Aminul", "Shahidul",
                     "Mizanur", "Anwar", "Jahangir", "Faruk", "Abul", "Nazrul", "Habibur",
                     "Mostafa", "Ruhul", "Sultan", "Abdul")
BANGLA_FEMALE_GIVEN = ("Rina", "Shirin", "Nazma", "Salma", "Rehana", "Jahanara",
                       "Roksana", "Hasina", "Momtaz", "Shamima")
BANGLA_SURNAMES = expand([
    ("Miah", 20), ("Uddin", 15), ("Ahmed", 12), ("Rahman", 12), ("Islam", 10),
    ("Ali", 10), ("Hoque", 6), ("Chowdhury", 6), ("Hussain", 5), ("Alam", 5),
])
BANGLA_FEMALE_SURNAMES = expand([("Begum", 10), ("Khatun", 5), ("Bibi", 3)])

# ---------------------------------------------------------------------------
# White British
# ---------------------------------------------------------------------------
WHITE_MALE_GIVEN = expand([
    ("David", 8), ("Paul", 7), ("Mark", 7), ("Andrew", 6), ("Stephen", 5), ("Steven", 4),
    ("Michael", 7), ("John", 8), ("Robert", 5), ("Richard", 5), ("Peter", 5), ("Gary", 4),
    ("Kevin", 4), ("Ian", 4), ("Simon", 4), ("Anthony", 4), ("Christopher", 5), ("James", 5),
    ("William", 3), ("Thomas", 3), ("Daniel", 3), ("Matthew", 3), ("Lee", 3), ("Darren", 3),
    ("Jason", 3), ("Neil", 3), ("Martin", 3), ("Philip", 3), ("Graham", 2), ("Keith", 2),
    ("Colin", 2), ("Trevor", 2), ("Barry", 2), ("Terry", 2), ("Jonathan", 2), ("Nicholas", 2),
    ("Edward", 1), ("Benjamin", 1), ("Samuel", 1), ("Alexander", 1), ("Joseph", 2),
])
WHITE_FEMALE_GIVEN = expand([
    ("Susan", 5), ("Julie", 5), ("Karen", 5), ("Tracey", 4), ("Sarah", 5), ("Claire", 4),
    ("Lisa", 4), ("Emma", 4), ("Nicola", 4), ("Michelle", 4), ("Deborah", 3), ("Amanda", 3),
    ("Joanne", 3), ("Helen", 3), ("Elizabeth", 3), ("Margaret", 2), ("Jennifer", 2),
    ("Catherine", 3), ("Rebecca", 3), ("Samantha", 3), ("Victoria", 3), ("Kimberley", 2),
    ("Patricia", 2), ("Linda", 3), ("Carol", 3), ("Ann", 2), ("Sara", 1),
])
WHITE_SURNAMES = expand([
    ("Smith", 30), ("Jones", 22), ("Taylor", 18), ("Brown", 18), ("Williams", 16),
    ("Wilson", 14), ("Johnson", 12), ("Davies", 12), ("Robinson", 8), ("Wright", 10),
    ("Thompson", 10), ("Evans", 10), ("Walker", 10), ("White", 9), ("Roberts", 9),
    ("Green", 8), ("Hall", 8), ("Wood", 8), ("Jackson", 8), ("Clarke", 8), ("Harris", 8),
    ("Lewis", 7), ("Cooper", 7), ("King", 7), ("Baker", 7), ("Hill", 7), ("Turner", 7),
    ("Allen", 6), ("Collins", 5), ("Edwards", 6), ("Ward", 6), ("Moore", 6),
    ("MacDonald", 4), ("MacKenzie", 3), ("McCarthy", 3), ("O'Brien", 3), ("Phillips", 4),
    ("Clark", 4), ("Thomson", 2),
])
DIMINUTIVES = {
    "Stephen": ("Steve",), "Steven": ("Steve",), "Michael": ("Mike", "Mick"),
    "Robert": ("Rob", "Bob"), "William": ("Bill", "Will"), "James": ("Jim", "Jimmy"),
    "Richard": ("Rich", "Richie"), "Anthony": ("Tony",), "Christopher": ("Chris",),
    "David": ("Dave",), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",),
    "Andrew": ("Andy",), "Jonathan": ("Jon",), "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe",), "Peter": ("Pete",), "Philip": ("Phil",), "Nicholas": ("Nick",),
    "Edward": ("Ed", "Ted"), "Benjamin": ("Ben",), "Samuel": ("Sam",),
    "Alexander": ("Alex",), "Terry": ("Terence",), "Gary": ("Gaz",),
    "Elizabeth": ("Liz", "Beth"), "Margaret": ("Maggie",), "Susan": ("Sue",),
    "Deborah": ("Debbie",), "Jennifer": ("Jenny",), "Catherine": ("Kate", "Cathy"),
    "Patricia": ("Pat",), "Rebecca": ("Becky",), "Samantha": ("Sam",),
    "Victoria": ("Vicky",), "Kimberley": ("Kim",), "Nicola": ("Nicky",),
    "Tomasz": ("Tom",), "Krzysztof": ("Chris",), "Piotr": ("Peter",),
    "Aleksandra": ("Ola",), "Katarzyna": ("Kasia",), "Małgorzata": ("Gosia",),
}

# ---------------------------------------------------------------------------
# Eastern European (Polish, Romanian, Croatian, Czech)
# ---------------------------------------------------------------------------
EE_MALE_GIVEN = ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Michał", "Łukasz",
                 "Andrzej", "Jakub", "Marek", "Grzegorz", "Adam", "Kamil", "Ion", "Andrei",
                 "Alexandru", "Florin", "Mihai", "Bogdan", "Adrian", "Constantin",
                 "Gheorghe", "Cristian", "Ivan", "Marko", "Luka", "Josip", "Tomáš", "Jan",
                 "Petr", "Jiří")
EE_FEMALE_GIVEN = ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Monika", "Małgorzata",
                   "Aleksandra", "Ioana", "Elena", "Maria", "Petra", "Ivana")
# (masculine form, feminine form)
EE_SURNAMES = expand([
    (("Kowalski", "Kowalska"), 6), (("Nowak", "Nowak"), 8), (("Wiśniewski", "Wiśniewska"), 5),
    (("Wójcik", "Wójcik"), 4), (("Kowalczyk", "Kowalczyk"), 4), (("Kamiński", "Kamińska"), 4),
    (("Lewandowski", "Lewandowska"), 4), (("Zieliński", "Zielińska"), 3),
    (("Szymański", "Szymańska"), 3), (("Woźniak", "Woźniak"), 3), (("Dąbrowski", "Dąbrowska"), 3),
    (("Popescu", "Popescu"), 5), (("Ionescu", "Ionescu"), 3), (("Popa", "Popa"), 3),
    (("Dumitru", "Dumitru"), 2), (("Stan", "Stan"), 2), (("Horvat", "Horvat"), 4),
    (("Kovačević", "Kovačević"), 2), (("Babić", "Babić"), 2), (("Novák", "Nováková"), 4),
    (("Svoboda", "Svobodová"), 2), (("Dvořák", "Dvořáková"), 2),
])

# ---------------------------------------------------------------------------
# Somali, Arabic and Afghan
# ---------------------------------------------------------------------------
SOMALI_MALE_GIVEN = ("Mohamed", "Abdi", "Abdullahi", "Ahmed", "Hassan", "Ali", "Omar",
                     "Yusuf", "Ismail", "Abdirahman", "Mustafa", "Ibrahim", "Khalid")
SOMALI_FEMALE_GIVEN = ("Fadumo", "Hodan", "Amina", "Sahra", "Ayan", "Hibaq", "Khadija",
                       "Maryan", "Halima", "Asha")
SOMALI_SURNAMES = ("Abdi", "Mohamed", "Ahmed", "Hassan", "Ali", "Farah", "Omar", "Warsame",
                   "Osman", "Jama", "Yusuf", "Ismail", "Aden", "Nur")
AFGHAN_MALE_GIVEN = ("Ahmad", "Mohammad", "Gul", "Hamid", "Karim", "Rahim", "Wali",
                     "Farid", "Zabihullah", "Nasir", "Jawad", "Sami")
AFGHAN_FEMALE_GIVEN = ("Fatima", "Zahra", "Mariam", "Nadia", "Parwana", "Shabnam")
AFGHAN_SURNAMES = ("Ahmadi", "Karimi", "Rahimi", "Noori", "Safi", "Hashimi", "Popal",
                   "Sultani", "Azizi", "Hakimi", "Stanikzai")

# ---------------------------------------------------------------------------
# Spelling families: each tuple holds spellings of ONE name.  Mahmood and
# Muhammad are different names and live in different families.
# ---------------------------------------------------------------------------
SPELLING_FAMILIES = (
    MUHAMMAD_FAMILY,
    ("Hussain", "Hussein", "Husain", "Hossain"),
    ("Ahmed", "Ahmad"),
    ("Rehman", "Rahman", "Rehmaan"),
    ("Mahmood", "Mehmood", "Mahmud", "Mahmoud"),
    ("Iqbal", "Ikbal"),
    ("Chaudhry", "Chaudhary", "Choudhry", "Chowdhury", "Choudhury"),
    ("Qureshi", "Quraishi", "Kureshi"),
    ("Rafiq", "Rafique"),
    ("Sadiq", "Saddique", "Sadique"),
    ("Siddique", "Siddiqui"),
    ("Tariq", "Tarik", "Tareq"),
    ("Shahid", "Shahed"),
    ("Zahid", "Zahed"),
    ("Nadeem", "Nadim"),
    ("Naveed", "Navid", "Naveid"),
    ("Rizwan", "Rizwaan"),
    ("Abid", "Aabid"),
    ("Yousaf", "Yusuf", "Yousuf", "Yousef"),
    ("Usman", "Osman", "Uthman"),
    ("Javed", "Javaid", "Jawed"),
    ("Akhtar", "Akhter", "Akther"),
    ("Anwar", "Anwer"),
    ("Shafiq", "Shafique"),
    ("Khalid", "Khaled"),
    ("Waqar", "Wakar"),
    ("Zafar", "Zaffar"),
    ("Imran", "Imraan"),
    ("Asif", "Aasif"),
    ("Bashir", "Basheer"),
    ("Nazir", "Nazeer"),
    ("Haider", "Hyder", "Haidar"),
    ("Amjad", "Amjed"),
    ("Faisal", "Faysal", "Feisal"),
    ("Adil", "Aadil"),
    ("Bilal", "Belal"),
    ("Hamza", "Hamzah"),
    ("Hassan", "Hasan"),
    ("Zubair", "Zubeir"),
    ("Khurram", "Khuram"),
    ("Saleem", "Salim"),
    ("Naeem", "Naim"),
    ("Waseem", "Wasim"),
    ("Tahir", "Taher"),
    ("Sohail", "Suhail"),
    ("Rashid", "Rasheed"),
    ("Majid", "Majeed"),
    ("Hameed", "Hamid"),
    ("Farooq", "Faruq", "Farouk", "Faruk"),
    ("Pervaiz", "Parvez", "Pervez"),
    ("Liaqat", "Liaquat"),
    ("Ishtiaq", "Ishtiaque"),
    ("Imtiaz", "Imtiyaz"),
    ("Shakeel", "Shakil"),
    ("Tanveer", "Tanvir"),
    ("Miah", "Mia"),
    ("Uddin", "Udin"),
    ("Begum", "Begam"),
    ("Hoque", "Haque", "Hoq"),
    ("Abdirahman", "Abdulrahman"),
    ("Abdi", "Abdy"),
    ("Abdullahi", "Abdulahi"),
    ("Mustafa", "Mostafa", "Mustapha"),
    ("Ibrahim", "Ebrahim"),
    ("Ismail", "Esmail"),
    ("Yasmin", "Yasmeen"),
    ("Ayesha", "Aisha", "Aysha"),
    ("Fatima", "Fatema"),
    ("Nasreen", "Nasrin"),
    ("Parveen", "Parvin"),
    ("Shazia", "Shaziya"),
    ("Gurpreet", "Gurprit"),
    ("Kulwinder", "Kulvinder"),
    ("Jaswinder", "Jasvinder"),
    ("Sukhwinder", "Sukhvinder"),
    ("Chowdhury", "Choudhury"),
    ("Clark", "Clarke"),
    ("Thompson", "Thomson"),
    ("Phillips", "Philips"),
    ("Stephen", "Steven"),
    ("Catherine", "Katherine", "Kathryn"),
    ("Ann", "Anne"),
    ("Sara", "Sarah"),
    ("Tracey", "Tracy"),
    ("Philip", "Phillip"),
    ("Matthew", "Mathew"),
)


def _build_variants():
    variants: dict[str, tuple[str, ...]] = {}
    for family in SPELLING_FAMILIES:
        for name in family:
            others = tuple(v for v in family if v != name)
            if name in variants:  # a name in two families: merge
                others = tuple(dict.fromkeys(variants[name] + others))
            variants[name] = others
    # Eastern European names lose their diacritics in many systems.
    ee_names = list(EE_MALE_GIVEN) + list(EE_FEMALE_GIVEN)
    for masc, fem in EE_SURNAMES:
        ee_names.extend((masc, fem))
    for name in set(ee_names):
        folded = ascii_fold(name)
        if folded != name:
            variants[name] = (folded,)
    return variants


SPELLING_VARIANTS = _build_variants()

# ---------------------------------------------------------------------------
# Places: Buckinghamshire towns and the postcode districts that serve them.
# ---------------------------------------------------------------------------
DISTRICT_TOWNS = {
    "AVDC": (("Aylesbury", ("HP19", "HP20", "HP21", "HP22")), ("Aylesbury", ("HP19", "HP20", "HP21")),
             ("Buckingham", ("MK18",)), ("Winslow", ("MK18",)), ("Wendover", ("HP22",)),
             ("Haddenham", ("HP17",)), ("Waddesdon", ("HP18",))),
    "CDC": (("Amersham", ("HP6", "HP7")), ("Chesham", ("HP5",)), ("Chesham", ("HP5",)),
            ("Great Missenden", ("HP16",)), ("Chalfont St Giles", ("HP8",)),
            ("Prestwood", ("HP16",))),
    "SBDC": (("Beaconsfield", ("HP9",)), ("Gerrards Cross", ("SL9",)), ("Burnham", ("SL1",)),
             ("Iver", ("SL0",)), ("Farnham Common", ("SL2",)), ("Stoke Poges", ("SL2",))),
    "WDC": (("High Wycombe", ("HP10", "HP11", "HP12", "HP13")),
            ("High Wycombe", ("HP11", "HP12", "HP13")), ("High Wycombe", ("HP12", "HP13")),
            ("Marlow", ("SL7",)), ("Princes Risborough", ("HP27",)), ("Hazlemere", ("HP15",)),
            ("Loudwater", ("HP10",))),
}
OUT_OF_AREA_TOWNS = (
    ("Slough", ("SL1", "SL2", "SL3")), ("Slough", ("SL1", "SL2", "SL3")),
    ("Milton Keynes", ("MK2", "MK3", "MK4", "MK6", "MK10", "MK13")),
    ("Bletchley", ("MK2", "MK3")), ("Newport Pagnell", ("MK16",)), ("Olney", ("MK46",)),
    ("Tring", ("HP23",)), ("Maidenhead", ("SL6",)),
)
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # no C, I, K, M, O or V in the inward code

STREET_WORDS = (
    "Church", "Station", "Victoria", "Queens", "Kings", "Mill", "Park", "Oxford", "London",
    "High", "Chiltern", "Meadow", "Orchard", "Beech", "Oak", "Willow", "Ash", "Elm",
    "Priory", "Abbey", "Manor", "Grange", "Hill", "Green", "Brook", "Spring", "Windsor",
    "York", "Albert", "Castle", "Bridge", "Chapel", "Desborough", "Totteridge", "Hughenden",
    "Bowerdean", "Cressex", "Booker", "Wendover", "Tring", "Bicester", "Walton", "Southcourt",
    "Bierton", "Hampden", "Missenden", "Penn", "Micklefield", "Lindsey", "Shrubbery",
    "Rutland", "Gordon", "Dashwood", "Westfield", "Highfield", "Fernside", "Hazel", "Birch",
    "Cedar", "Rowan", "Holly", "Laburnum", "Primrose", "Bellfield", "Carrington", "Gomm",
)
STREET_SUFFIXES = expand([
    ("Road", 10), ("Street", 4), ("Lane", 4), ("Close", 5), ("Avenue", 4), ("Way", 3),
    ("Drive", 3), ("Gardens", 2), ("Crescent", 2), ("Court", 1), ("Place", 1), ("Grove", 1),
    ("Rise", 1), ("View", 1),
])
