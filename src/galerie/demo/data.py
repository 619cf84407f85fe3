"""Fixed reference data and word lists of the demo mall: storefronts, category tree, product types,
sellers, and the French vocabulary the generator composes titles and descriptions from.

Brands, publishers and labels are real names so the catalogue reads plausibly; every title, model
reference and GTIN built from them is invented.
"""

# --- Storefronts -----------------------------------------------------------------------------

STOREFRONTS = [
    {
        "slug": "galerie",
        "name": "Galerie Culture",
        "tagline": "Livres, musique, films, maison, voyages et presse",
        "logo_text": "Galerie Culture",
        "primary_color": "#7a1f3d",
        "accent_color": "#f2a541",
        "show_out_of_stock": False,
        "host": "galerie.localhost",
        "roots": [
            "livres",
            "musique",
            "video",
            "electromenager",
            "image-et-son",
            "voyages",
            "presse",
        ],
    },
    {
        "slug": "hightech",
        "name": "Galerie High-Tech",
        "tagline": "Ordinateurs, téléphonie, image et son",
        "logo_text": "Galerie High-Tech",
        "primary_color": "#0b3954",
        "accent_color": "#00a6a6",
        # Sold-out electronics stay listed, flagged « épuisé » (shows the other storefront mode).
        "show_out_of_stock": True,
        "host": "hightech.localhost",
        "roots": ["informatique", "telephonie", "image-et-son"],
    },
]

# --- Category tree: (slug, name, children) ------------------------------------------------------

CATEGORY_TREE = [
    (
        "livres",
        "Livres",
        [
            ("romans", "Romans", []),
            ("policiers-thrillers", "Policiers et thrillers", []),
            ("sf-fantasy", "Science-fiction et fantasy", []),
            (
                "bandes-dessinees",
                "Bandes dessinées",
                [
                    ("bd-franco-belge", "BD franco-belge", []),
                    ("mangas", "Mangas", []),
                    ("comics", "Comics", []),
                ],
            ),
            ("jeunesse", "Jeunesse", []),
            ("essais", "Essais", []),
        ],
    ),
    ("musique", "Musique", [("cd", "CD", []), ("vinyles", "Vinyles", [])]),
    ("video", "Vidéo", [("dvd", "DVD", []), ("blu-ray", "Blu-ray", [])]),
    (
        "electromenager",
        "Électroménager",
        [
            ("lave-linge", "Lave-linge", []),
            ("refrigerateurs", "Réfrigérateurs", []),
            (
                "petit-electromenager",
                "Petit électroménager",
                [
                    ("cafetieres", "Cafetières et expressos", []),
                    ("aspirateurs", "Aspirateurs", []),
                ],
            ),
        ],
    ),
    (
        "voyages",
        "Voyages",
        [
            ("sejours-france", "Séjours en France", []),
            ("voyages-europe", "Europe", []),
            ("long-courrier", "Long-courrier", []),
        ],
    ),
    ("presse", "Presse", [("magazines", "Magazines", []), ("quotidiens", "Quotidiens", [])]),
    ("informatique", "Informatique", [("ordinateurs-portables", "Ordinateurs portables", [])]),
    ("telephonie", "Téléphonie", [("smartphones", "Smartphones", [])]),
    (
        "image-et-son",
        "Image et son",
        [("casques", "Casques et écouteurs", []), ("televiseurs", "Téléviseurs", [])],
    ),
]

# --- Product types and their attributes ---------------------------------------------------------
# attribute: (code, name, kind, choices, unit, is_facet)

ENERGY_CLASSES = ["A", "B", "C", "D", "E", "F", "G"]
MUSIC_GENRES = [
    "Chanson française", "Pop", "Rock", "Jazz", "Classique", "Électro", "Rap",
    "Musiques du monde",
]  # fmt: skip
FILM_GENRES = [
    "Comédie", "Drame", "Policier", "Animation", "Documentaire", "Science-fiction", "Aventure",
]  # fmt: skip
PHONE_COLOURS = ["Noir", "Blanc", "Bleu", "Vert", "Violet", "Rose", "Titane naturel", "Gris"]

PRODUCT_TYPES = [
    {
        "slug": "livre",
        "name": "Livre",
        "tax_class": "reduced",
        "is_book": True,
        "gtin_required": True,
        "attributes": [
            ("author", "Auteur", "text", [], "", True),
            ("publisher", "Éditeur", "text", [], "", True),
            ("binding", "Format", "choice", ["Broché", "Poche", "Relié"], "", True),
            ("pages", "Nombre de pages", "integer", [], "pages", False),
            (
                "language",
                "Langue",
                "choice",
                ["français", "anglais", "espagnol", "allemand", "italien"],
                "",
                True,
            ),
            ("published_on", "Date de parution", "date", [], "", False),
        ],
    },
    {
        "slug": "musique",
        "name": "Musique",
        "tax_class": "standard",
        "attributes": [
            ("artist", "Artiste", "text", [], "", True),
            ("label", "Label", "text", [], "", True),
            ("format", "Format", "choice", ["CD", "Vinyle"], "", True),
            ("genre", "Genre", "choice", MUSIC_GENRES, "", True),
            ("year", "Année de sortie", "integer", [], "", False),
        ],
    },
    {
        "slug": "video",
        "name": "Vidéo",
        "tax_class": "standard",
        "attributes": [
            ("director", "Réalisateur", "text", [], "", True),
            ("format", "Format", "choice", ["DVD", "Blu-ray"], "", True),
            ("genre", "Genre", "choice", FILM_GENRES, "", True),
            ("duration", "Durée", "integer", [], "min", False),
            ("year", "Année de sortie", "integer", [], "", False),
        ],
    },
    {
        "slug": "ordinateur-portable",
        "name": "Ordinateur portable",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("screen_size", "Taille d'écran", "decimal", [], "pouces", True),
            ("ram", "Mémoire vive", "integer", [], "Go", True),
            ("storage", "Stockage SSD", "integer", [], "Go", True),
            ("processor", "Processeur", "text", [], "", True),
            ("touch_screen", "Écran tactile", "boolean", [], "", True),
            (
                "os",
                "Système d'exploitation",
                "choice",
                ["Windows 11", "macOS", "ChromeOS", "Sans système"],
                "",
                False,
            ),
        ],
    },
    {
        "slug": "smartphone",
        "name": "Smartphone",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("storage", "Stockage", "integer", [], "Go", True),
            ("screen_size", "Taille d'écran", "decimal", [], "pouces", False),
            ("colour", "Couleur", "choice", PHONE_COLOURS, "", True),
            ("five_g", "Compatible 5G", "boolean", [], "", True),
        ],
    },
    {
        "slug": "lave-linge",
        "name": "Lave-linge",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("capacity", "Capacité", "integer", [], "kg", True),
            ("energy_class", "Classe énergétique", "choice", ENERGY_CLASSES, "", True),
            ("spin_speed", "Vitesse d'essorage", "integer", [], "tr/min", False),
            ("loading", "Chargement", "choice", ["Hublot", "Top"], "", True),
        ],
    },
    {
        "slug": "refrigerateur",
        "name": "Réfrigérateur",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("volume", "Volume total", "integer", [], "litres", False),
            ("energy_class", "Classe énergétique", "choice", ENERGY_CLASSES, "", True),
            (
                "fridge_kind",
                "Type",
                "choice",
                ["Combiné", "Américain", "Une porte", "Table top"],
                "",
                True,
            ),
            ("no_frost", "Froid ventilé (No Frost)", "boolean", [], "", True),
        ],
    },
    {
        "slug": "petit-electromenager",
        "name": "Petit électroménager",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("power", "Puissance", "integer", [], "W", False),
            ("colour", "Couleur", "choice", ["Noir", "Blanc", "Inox", "Rouge", "Gris"], "", True),
        ],
    },
    {
        "slug": "casque",
        "name": "Casque audio",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            (
                "form",
                "Type",
                "choice",
                ["Circum-auriculaire", "Supra-auriculaire", "Intra-auriculaire"],
                "",
                True,
            ),
            ("wireless", "Sans fil", "boolean", [], "", True),
            ("noise_cancelling", "Réduction de bruit active", "boolean", [], "", True),
            ("battery_hours", "Autonomie", "integer", [], "h", False),
        ],
    },
    {
        "slug": "televiseur",
        "name": "Téléviseur",
        "tax_class": "standard",
        "attributes": [
            ("brand", "Marque", "text", [], "", True),
            ("screen_size", "Taille d'écran", "integer", [], "pouces", True),
            ("resolution", "Définition", "choice", ["HD", "Full HD", "4K UHD", "8K"], "", True),
            ("technology", "Technologie", "choice", ["LED", "QLED", "OLED", "Mini LED"], "", True),
            ("year", "Année du modèle", "integer", [], "", False),
        ],
    },
    {
        "slug": "voyage",
        "name": "Voyage",
        "tax_class": "standard",
        "gtin_required": False,
        "attributes": [
            ("destination", "Destination", "text", [], "", True),
            ("duration_days", "Durée", "integer", [], "jours", True),
            (
                "board",
                "Formule",
                "choice",
                ["Petit-déjeuner", "Demi-pension", "Pension complète", "Tout compris"],
                "",
                True,
            ),
            ("transport_included", "Transport inclus", "boolean", [], "", True),
        ],
    },
    {
        "slug": "abonnement-presse",
        "name": "Abonnement presse",
        "tax_class": "super_reduced",
        "gtin_required": False,
        "attributes": [
            ("publication", "Titre", "text", [], "", True),
            ("issues_per_year", "Numéros par an", "integer", [], "", False),
            (
                "frequency",
                "Périodicité",
                "choice",
                ["Quotidien", "Hebdomadaire", "Mensuel", "Bimestriel", "Trimestriel"],
                "",
                True,
            ),
            (
                "medium",
                "Support",
                "choice",
                ["Papier", "Numérique", "Papier + numérique"],
                "",
                True,
            ),
        ],
    },
]

# --- Sellers ------------------------------------------------------------------------------------
# SIRENs pass the Luhn check and VAT numbers carry the right French key (see tests); the firms are
# invented.

SELLERS = [
    {
        "slug": "galerie",
        "name": "Galerie",
        "legal_name": "Galerie Marchande SAS",
        "is_operator": True,
        "is_trader": True,
        "status": "verified",
        "email": "vendeur@galerie.localhost",
        "phone": "01 84 60 12 00",
        "address": "12 rue du Faubourg-Poissonnière\n75010 Paris",
        "siren": "912345675",
    },
    {
        "slug": "librairie-du-marche",
        "name": "Librairie du Marché",
        "legal_name": "Librairie du Marché SARL",
        "is_trader": True,
        "status": "verified",
        "email": "contact@librairie-du-marche.example",
        "phone": "04 78 42 19 07",
        "address": "3 place des Célestins\n69002 Lyon",
        "siren": "823456785",
    },
    {
        "slug": "seconde-vie-tech",
        "name": "Seconde Vie Tech",
        "legal_name": "Seconde Vie Technologies SAS",
        "is_trader": True,
        "status": "verified",
        "email": "pro@secondevietech.example",
        "phone": "02 40 35 88 14",
        "address": "18 quai de la Fosse\n44000 Nantes",
        "siren": "851234567",
    },
    {
        "slug": "maison-electro",
        "name": "Maison & Électro",
        "legal_name": "Maison et Électro Distribution SARL",
        "is_trader": True,
        "status": "verified",
        "email": "service.client@maison-electro.example",
        "phone": "03 20 57 61 30",
        "address": "240 avenue de la République\n59110 La Madeleine",
        "siren": "790123459",
    },
    {
        # A private individual: no trader identification, no legal guarantee owed (DSA, Code
        # de la consommation), sells used books, CDs and DVDs.
        "slug": "sophie-l",
        "name": "Sophie L.",
        "legal_name": "",
        "is_trader": False,
        "status": "verified",
        "email": "sophie.l@particulier.example",
        "phone": "",
        "address": "",
        "siren": "",
    },
    {
        # A travel agency selling packages in its own name (registered with Atout France, as
        # every French seller of package travel must be): its own VAT scheme, not the operator's.
        "slug": "horizons-voyages",
        "name": "Horizons Voyages",
        "legal_name": "Horizons Voyages SAS",
        "is_trader": True,
        "status": "verified",
        "email": "reservations@horizons-voyages.example",
        "phone": "04 72 10 45 80",
        "address": "27 rue de la République\n69002 Lyon",
        "siren": "841234560",
    },
    {
        # A press publisher selling subscriptions to its titles directly.
        "slug": "editions-du-kiosque",
        "name": "Éditions du Kiosque",
        "legal_name": "Éditions du Kiosque SA",
        "is_trader": True,
        "status": "verified",
        "email": "abonnements@editions-du-kiosque.example",
        "phone": "01 53 24 66 10",
        "address": "8 rue Réaumur\n75002 Paris",
        "siren": "807654322",
    },
    {
        # Applied, never verified: its offers exist but must never reach a shopper.
        "slug": "bonnes-affaires-express",
        "name": "Bonnes Affaires Express",
        "legal_name": "BAE Trading Ltd",
        "is_trader": True,
        "status": "applied",
        "email": "sales@bonnes-affaires-express.example",
        "phone": "",
        "address": "Unit 4, 12 Harbour Road\nHong Kong",
        "siren": "",
    },
]

# --- People ---------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Juliette", "Louise", "Alice", "Emma",
    "Claire", "Hélène", "Anne", "Isabelle", "Nathalie", "Sophie", "Valérie", "Mathilde", "Agnès",
    "Élise", "Marion", "Céline", "Pauline", "Margaux", "Zoé", "Jeanne", "Colette", "Annie",
    "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël", "Antoine", "Thomas",
    "Nicolas", "Julien", "Pierre", "François", "Olivier", "Laurent", "Philippe", "Jean-Marc",
    "Bernard", "Michel", "Guillaume", "Mathieu", "Sébastien", "Yann", "Rémi", "Étienne",
    "Benoît", "Karim", "Mehdi", "Samir", "Malik", "Yasmina", "Leïla", "Amina", "Nour",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont",
    "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand",
    "Dufour", "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
    "Fernandez", "Le Gall", "Le Goff", "Kerouac'h", "Benali", "Haddad", "Ferrand", "Aubert",
]  # fmt: skip

JAPANESE_FIRST = ["Haruki", "Yuki", "Kenji", "Aiko", "Takeshi", "Naoko", "Hiro", "Mei", "Daisuke"]
JAPANESE_LAST = ["Tanaka", "Sato", "Watanabe", "Kobayashi", "Yamamoto", "Ishikawa", "Mori", "Ueda"]

# --- Books ----------------------------------------------------------------------------------------

BOOK_GENRES = {
    # category slug: (publishers, pocket imprints, price range broché (cents), pages range)
    "romans": (
        ["Gallimard", "Grasset", "Albin Michel", "Actes Sud", "Flammarion", "Éditions du Seuil",
         "Stock", "Julliard", "P.O.L", "Éditions de Minuit", "Robert Laffont", "L'Olivier"],
        ["Folio", "Le Livre de Poche", "Points", "Pocket", "J'ai lu", "Babel"],
        (1800, 2490),
        (180, 620),
    ),
    "policiers-thrillers": (
        ["Éditions du Masque", "Rivages", "Fleuve Éditions", "Calmann-Lévy", "Albin Michel",
         "Éditions du Seuil", "Michel Lafon"],
        ["Le Livre de Poche", "Pocket", "Points", "Folio"],
        (1990, 2290),
        (280, 720),
    ),
    "sf-fantasy": (
        ["L'Atalante", "Bragelonne", "Le Bélial'", "Mnémos", "Denoël", "Albin Michel Imaginaire"],
        ["J'ai lu", "Folio SF", "Pocket", "Le Livre de Poche"],
        (1990, 2590),
        (260, 860),
    ),
    "bd-franco-belge": (
        ["Dargaud", "Dupuis", "Casterman", "Glénat", "Delcourt", "Le Lombard", "Futuropolis"],
        [],
        (1095, 2450),
        (48, 160),
    ),
    "mangas": (
        ["Kana", "Glénat Manga", "Ki-oon", "Pika", "Kurokawa"],
        [],
        (695, 795),
        (180, 230),
    ),
    "comics": (["Urban Comics", "Panini Comics", "Delcourt Comics"], [], (1500, 3500), (120, 340)),
    "jeunesse": (
        ["L'École des loisirs", "Gallimard Jeunesse", "Bayard Jeunesse", "Nathan", "Milan",
         "Hachette Jeunesse", "Flammarion Jeunesse"],
        ["Folio Junior", "Pocket Jeunesse"],
        (590, 1590),
        (24, 320),
    ),
    "essais": (
        ["La Découverte", "Éditions du Seuil", "Fayard", "PUF", "Odile Jacob", "Flammarion",
         "Gallimard"],
        ["Points", "Folio Essais", "Champs"],
        (1500, 2600),
        (160, 480),
    ),
}  # fmt: skip

NOVEL_HEADS = [
    "La Maison", "Le Silence", "Les Ombres", "L'Hiver", "Le Dernier Été", "La Nuit", "Les Jardins",
    "Le Voyageur", "La Promesse", "Les Heures", "Le Chant", "La Lumière", "Les Enfants",
    "Le Retour", "La Mémoire", "Les Saisons", "Le Secret", "La Traversée", "Les Lettres",
    "Le Phare", "La Fille", "Les Oiseaux", "Le Goût", "La Route", "Les Années", "Le Bruit",
    "La Veille", "Les Invisibles", "L'Atelier", "Le Cahier", "La Dernière Lettre", "Les Sœurs",
    "Le Pays", "La Saison des pluies", "Les Étés", "L'Héritage", "Le Fils", "La Passagère",
]  # fmt: skip

NOVEL_TAILS = [
    "au bord du lac", "de Saint-Malo", "des Cévennes", "sous la neige", "d'Irène", "du port",
    "de la rue des Saules", "après la pluie", "du vieux moulin", "de septembre",
    "de l'autre rive", "des quais", "de ma mère", "du Finistère", "sans nom", "d'avant",
    "de Trieste", "au loin", "du silence", "de la colline", "de Marseille", "de nos pères",
    "des marées", "en hiver", "d'Alger", "du dimanche", "de Lisbonne", "à l'aube",
    "de la forêt", "des vendanges", "de l'exil", "du dernier train",
]  # fmt: skip

CRIME_HEADS = [
    "Meurtre", "Nuit blanche", "Mort suspecte", "Disparition", "Le Noyé", "Sang d'encre",
    "Les Disparus", "L'Affaire Morel", "Fausse piste", "Le Témoin", "Dernier Appel",
    "Zone rouge", "La Dame", "Le Tueur", "Angle mort", "Les Loups", "Code noir", "Sous scellés",
    "Le Corbeau", "Froid mortel",
]  # fmt: skip

CRIME_TAILS = [
    "à Étretat", "à Marseille", "sur le Rhône", "du canal Saint-Martin", "en Camargue",
    "à la Croix-Rousse", "dans les Vosges", "au Cap Ferret", "du quai des Orfèvres",
    "à Belle-Île", "de la gare du Nord", "à Bastia", "dans le brouillard", "de minuit",
    "sur la Côte d'Opale", "à Annecy",
]  # fmt: skip

SF_WORLDS = ["Kérès", "Altaïr", "Nouvelle-Ys", "Hélion", "Sélène", "Arkadia", "Vespéra", "Orphée"]
SF_HEADS = [
    "Les Chroniques", "La Flotte", "Les Héritiers", "L'Exode", "La Citadelle", "Les Gardiens",
    "Le Dernier Soleil", "Les Lames", "L'Horizon", "La Guerre des étoiles mortes",
]  # fmt: skip

BD_HEROES = [
    "Les Aventures de Lou", "Capitaine Morgane", "Les Mystères de Bécherel", "Max et Zélie",
    "La Brigade des rêves", "Le Marquis de Saint-Brieuc", "Les Naufragés d'Ouessant",
    "Odette et les fantômes", "Les Explorateurs du temps", "Le Chat de la mère Michel",
]  # fmt: skip
BD_SUBTITLES = [
    "Le Trésor du Vercors", "L'Île aux brumes", "La Nuit du dragon", "Le Retour du Marquis",
    "Panique à Montmartre", "Les Pirates de la Rance", "Le Secret de la tour",
    "Opération Cerbère", "La Cité engloutie", "Le Rubis de Samarcande", "L'Hiver des loups",
]  # fmt: skip

MANGA_SERIES = [
    "Kaze no Tsubasa", "Hoshizora Academy", "Les Lames de Yoru", "Shinrin", "Tokyo Fragments",
    "Le Sabre et la Lune", "Umi no Koe", "Ronin Express",
]  # fmt: skip
COMICS_SERIES = [
    "Nightwatch",
    "Les Gardiens de Néo-Paris",
    "Iron Harbor",
    "Spectra",
    "Le Clan Mercure",
]

YOUTH_HEROES = ["Léon", "Zoé", "Petit Ours", "Mimi la souris", "Nina", "Capucine", "Tom et Lili"]
YOUTH_ACTIONS = [
    "va à l'école", "et le dragon des neiges", "part en vacances", "ne veut pas dormir",
    "fête son anniversaire", "et le loup", "découvre la mer", "a un nouvel ami",
    "et la cabane dans les arbres", "fait de la musique", "et le mystère du grenier",
]  # fmt: skip

ESSAY_HEADS = [
    "Penser le travail", "Éloge de la lenteur", "Une histoire de la marche", "Le Temps des villes",
    "Habiter la Terre", "La Fabrique de l'opinion", "Les Nouveaux Communs", "Le Goût du vrai",
    "Petite philosophie du jardin", "L'Âge de la vitesse", "Ce que nous devons aux arbres",
    "La Société du sommeil", "L'Invention du paysage", "Le Pouvoir des mots",
]  # fmt: skip
ESSAY_SUBS = [
    "une enquête", "essai sur notre époque", "histoire d'une idée",
    "pour une écologie du quotidien",
    "ce que la science nous apprend", "de l'Antiquité à nos jours", "réflexions sur le présent",
]  # fmt: skip

BOOK_PITCHES = [
    "Un récit lumineux sur la transmission et les liens qui unissent une famille.",
    "Une enquête haletante, menée tambour battant jusqu'à la dernière page.",
    "Un roman d'apprentissage porté par une écriture d'une grande délicatesse.",
    "Une fresque ambitieuse qui traverse trois générations.",
    "Un livre drôle et tendre, à lire d'une traite.",
    "Une plongée saisissante dans les secrets d'une petite ville de province.",
    "Un texte bref et intense sur l'absence et la mémoire.",
    "Une aventure foisonnante, pleine de rebondissements.",
    "Un regard neuf et documenté sur une question qui nous concerne tous.",
    "Un classique moderne, enfin réédité.",
]

BOOK_PRAISE = [
    "Prix des lecteurs de la Galerie.",
    "Sélectionné pour le prix des libraires.",
    "Un succès de librairie traduit en plusieurs langues.",
    "Coup de cœur de l'équipe.",
    "",
    "",
    "",
]

# --- Music and video --------------------------------------------------------------------------

LABELS = [
    "Barclay", "Because Music", "Tôt ou Tard", "Naïve", "Harmonia Mundi", "Wagram Music",
    "Universal Music France", "Warner Music France", "Sony Music France", "Blue Note",
    "Deutsche Grammophon", "Ed Banger Records", "InFiné",
]  # fmt: skip

BAND_HEADS = [
    "Les Marées", "Les Lucioles", "Orage", "Les Satellites", "Nuit Fauve", "Les Voyageurs",
    "Quatuor Ostinato", "Trio Alizé", "Les Frères Lumière", "Pavillon Noir", "Minuit Pile",
    "Ensemble Baroque de Lyon", "Orchestre national d'Île-de-France", "Les Gens du Sud",
]  # fmt: skip

ALBUM_TITLES = [
    "Lumières", "Rue des Martyrs", "Sous la pluie d'été", "Live à l'Olympia", "Horizons",
    "Les Jours heureux", "Nocturnes", "Bleu nuit", "Racines", "Chansons de l'exil", "Atlas",
    "Variations", "Carnet de route", "Les Quatre Saisons", "Dernière Danse", "Solstice",
    "Transatlantique", "Prélude", "Ciel de traîne", "Électrique", "Le Grand Bal", "Odyssée",
    "Marée basse", "Intégrale des sonates", "Pays de nulle part", "Best of",
]  # fmt: skip

FILM_TITLES = [
    "Les Beaux Jours", "Un été à Biarritz", "La Grande Évasion", "Le Dîner", "Mauvaise Pente",
    "Les Quatre Vents", "L'Inconnue du train", "Nos Années folles", "Le Ciel de Paris",
    "Un homme pressé", "La Vie devant nous", "Le Royaume des glaces", "Frères d'armes",
    "La Part des anges", "Les Gardiens du phare", "Comme un lundi", "Le Dernier Round",
    "Minuit à Montmartre", "Les Apprentis sorciers", "Terre brûlée", "Le Grand Bleu marine",
    "Opération Tonnerre", "Le Festin", "La Colline aux coquelicots",
]  # fmt: skip

# --- Electronics and appliances: brand -> [(model line, base price in euros)] -----------------

LAPTOPS = {  # brand: [(model line, base price in euros, screen size in inches)]
    "Lenovo": [("IdeaPad Slim 5", 649, "14"), ("ThinkPad E14", 899, "14"),
               ("Yoga 7", 1049, "14"), ("IdeaPad 3", 449, "15.6"), ("Legion 5", 1299, "16")],
    "HP": [("Pavilion 15", 599, "15.6"), ("EliteBook 840", 1249, "14"),
           ("Envy x360", 999, "15.6"), ("HP 15s", 429, "15.6")],
    "Dell": [("Inspiron 15", 549, "15.6"), ("XPS 13", 1399, "13.4"),
             ("Latitude 5440", 1099, "14")],
    "Asus": [("Vivobook 15", 499, "15.6"), ("Zenbook 14 OLED", 1099, "14"),
             ("ROG Strix G16", 1499, "16"), ("Chromebook Plus", 399, "14")],
    "Acer": [("Aspire 5", 529, "15.6"), ("Swift Go 14", 799, "14"), ("Nitro V 15", 899, "15.6")],
    "Apple": [("MacBook Air 13", 1199, "13.6"), ("MacBook Air 15", 1499, "15.3"),
              ("MacBook Pro 14", 1999, "14.2")],
    "MSI": [("Modern 15", 549, "15.6"), ("Katana 15", 1099, "15.6")],
}  # fmt: skip
LAPTOP_CPUS = {
    "Apple": ["Apple M2", "Apple M3", "Apple M4"],
    "default": ["Intel Core i5-1335U", "Intel Core i7-1355U", "Intel Core Ultra 5 125H",
                "AMD Ryzen 5 7530U", "AMD Ryzen 7 7735HS", "Intel Core i3-1315U"],
}  # fmt: skip

PHONES = {
    "Samsung": [("Galaxy S24", 859), ("Galaxy A55", 479), ("Galaxy A35", 379),
                ("Galaxy Z Flip6", 1199)],
    "Apple": [("iPhone 15", 969), ("iPhone 15 Pro", 1229), ("iPhone 14", 769),
              ("iPhone 16", 969)],
    "Google": [("Pixel 8", 699), ("Pixel 8a", 549), ("Pixel 9", 899)],
    "Xiaomi": [("Redmi Note 13", 249), ("14T", 649), ("Redmi 13C", 149)],
    "OnePlus": [("12", 899), ("Nord 4", 499)],
    "Fairphone": [("Fairphone 5", 699)],
    "Motorola": [("moto g84", 299), ("edge 50", 599)],
}  # fmt: skip

WASHERS = ["Bosch", "Samsung", "LG", "Whirlpool", "Electrolux", "Beko", "Miele", "Candy", "Haier"]
FRIDGES = ["Bosch", "Samsung", "LG", "Liebherr", "Beko", "Whirlpool", "Haier", "Smeg", "Siemens"]
COFFEE = {
    "De'Longhi": ["Machine expresso broyeur", "Machine à café à capsules"],
    "Krups": ["Machine expresso broyeur", "Cafetière filtre programmable"],
    "Philips": ["Machine expresso broyeur", "Cafetière filtre"],
    "Moulinex": ["Cafetière filtre", "Bouilloire"],
    "Smeg": ["Cafetière filtre années 50", "Bouilloire années 50"],
    "Magimix": ["Machine à café à capsules"],
}
VACUUMS = {
    "Dyson": ["Aspirateur balai sans fil"],
    "Rowenta": ["Aspirateur balai sans fil", "Aspirateur traîneau sans sac"],
    "Philips": ["Aspirateur traîneau sans sac"],
    "Bosch": ["Aspirateur balai sans fil", "Aspirateur traîneau avec sac"],
    "Dreame": ["Aspirateur robot laveur"],
    "iRobot": ["Aspirateur robot"],
}
HEADPHONES = {
    "Sony": [("WH-1000XM5", 399, "Circum-auriculaire"), ("WF-C700N", 119, "Intra-auriculaire")],
    "Bose": [("QuietComfort Ultra", 449, "Circum-auriculaire"),
             ("QuietComfort Earbuds II", 299, "Intra-auriculaire")],
    "JBL": [("Tune 770NC", 129, "Supra-auriculaire"), ("Live Pro 2", 149, "Intra-auriculaire")],
    "Sennheiser": [("Momentum 4", 349, "Circum-auriculaire"), ("HD 560S", 199,
                   "Circum-auriculaire")],
    "Apple": [("AirPods Pro 2", 279, "Intra-auriculaire"), ("AirPods Max", 579,
              "Circum-auriculaire")],
    "Marshall": [("Major V", 149, "Supra-auriculaire")],
    "Beyerdynamic": [("DT 770 Pro", 159, "Circum-auriculaire")],
}  # fmt: skip
TV_BRANDS = {
    "Samsung": ["QLED", "LED", "OLED"], "LG": ["OLED", "LED"], "Sony": ["LED", "OLED"],
    "Philips": ["LED", "OLED"], "TCL": ["QLED", "Mini LED"], "Hisense": ["Mini LED", "LED"],
    "Panasonic": ["LED", "OLED"],
}  # fmt: skip
TV_SIZES = [32, 43, 50, 55, 65, 75, 85]

# --- Travel and press -----------------------------------------------------------------------------

DESTINATIONS = {
    "sejours-france": ["Corse", "Bretagne", "Provence", "Alsace", "Côte basque", "Alpes",
                       "Périgord", "Côte d'Azur"],
    "voyages-europe": ["Lisbonne", "Rome", "Crète", "Sicile", "Andalousie", "Croatie", "Écosse",
                       "Islande", "Baléares", "Cyclades"],
    "long-courrier": ["Martinique", "Guadeloupe", "La Réunion", "Sénégal", "Japon", "Québec",
                      "Thaïlande", "Vietnam", "Pérou", "Costa Rica"],
}  # fmt: skip
TRIP_KINDS = ["Séjour", "Circuit", "Week-end", "Croisière"]
COASTAL = {
    "Corse", "Bretagne", "Côte basque", "Côte d'Azur", "Crète", "Sicile", "Croatie", "Baléares",
    "Cyclades", "Martinique", "Guadeloupe", "La Réunion", "Thaïlande", "Vietnam", "Islande",
}  # fmt: skip

PUBLICATIONS = [
    ("L'Écho des cimes", "Mensuel", 12, "magazines"),
    ("Jardins de France et d'ailleurs", "Bimestriel", 6, "magazines"),
    ("Le Petit Cuisinier", "Mensuel", 12, "magazines"),
    ("Science & Curiosité", "Mensuel", 12, "magazines"),
    ("L'Hebdo des livres", "Hebdomadaire", 52, "magazines"),
    ("Voiles et Vents", "Bimestriel", 6, "magazines"),
    ("Histoire vivante", "Trimestriel", 4, "magazines"),
    ("Images & Cinéma", "Mensuel", 11, "magazines"),
    ("Le Quotidien de l'Ouest", "Quotidien", 312, "quotidiens"),
    ("La Gazette du Rhône", "Quotidien", 312, "quotidiens"),
    ("Le Courrier de l'Économie", "Quotidien", 250, "quotidiens"),
]

# --- Offers ---------------------------------------------------------------------------------------

USED_BOOK_NOTES = [
    "Très bon état, quelques traces de lecture.",
    "Bon état, couverture légèrement frottée.",
    "Comme neuf, jamais lu.",
    "État correct : coins cornés, pages légèrement jaunies.",
    "Bon état, tampon d'ancienne bibliothèque sur la page de garde.",
    "Très bon état, quelques annotations au crayon dans les marges.",
]
USED_DISC_NOTES = [
    "Disque en très bon état, boîtier légèrement rayé.",
    "Très bon état, livret complet.",
    "Bon état, légères rayures sans effet sur la lecture.",
    "Comme neuf, écouté une seule fois.",
]
USED_VINYL_NOTES = [
    "Pochette usée aux angles, disque en très bon état (VG+).",
    "Comme neuf (NM), pochette intérieure d'origine.",
    "Bon état (VG), quelques craquements discrets.",
]
REFURBISHED_NOTES = [
    "Reconditionné grade A : aucune rayure visible, batterie ≥ 90 %. Garantie 12 mois.",
    "Reconditionné grade B : micro-rayures sur la coque, batterie ≥ 85 %. Garantie 12 mois.",
    "Reconditionné grade C : traces d'usage visibles, parfaitement fonctionnel. Garantie 12 mois.",
]
REFURBISHED_APPLIANCE_NOTES = [
    "Reconditionné : révisé et testé en atelier, légère rayure sur un côté. Garantie 12 mois.",
    "Reconditionné : retour client, emballage d'origine abîmé. Garantie 12 mois.",
]
