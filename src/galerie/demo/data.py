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
        # CDs, vinyls, DVDs: no withdrawal once unsealed (L221-28 9°).
        "withdrawal_exception": "sealed_media",
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
        # CDs, vinyls, DVDs: no withdrawal once unsealed (L221-28 9°).
        "withdrawal_exception": "sealed_media",
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
        "withdrawal_exception": "dated_service",
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

# Titles are composed from these lists; the generator enumerates every combination once (see
# generator._space), so no two products share a title. Each list's entries read correctly in
# every combination they enter.

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
    "Le Corbeau", "Froid mortel", "Cavale", "La Balle perdue", "Chambre froide",
    "Le Dernier Témoin", "Double Fond", "L'Inconnu", "Les Chiens", "Piège", "La Traque",
    "Le Pendu",
]  # fmt: skip

CRIME_TAILS = [
    "à Étretat", "à Marseille", "sur le Rhône", "du canal Saint-Martin", "en Camargue",
    "à la Croix-Rousse", "dans les Vosges", "au Cap Ferret", "du quai des Orfèvres",
    "à Belle-Île", "de la gare du Nord", "à Bastia", "dans le brouillard", "de minuit",
    "sur la Côte d'Opale", "à Annecy", "à Lille", "dans le Vercors", "au pont de Normandie",
    "à Biarritz", "sous la pluie", "de la rue Mouffetard", "à Brest", "en Ardèche",
]  # fmt: skip

# Science fiction: series over a world, in tomes. Fantasy: series of kingdoms and magic.
SF_WORLDS = ["Kérès", "Altaïr", "Nouvelle-Ys", "Hélion", "Sélène", "Arkadia", "Vespéra", "Orphée"]
SF_HEADS = [
    "Les Chroniques", "La Flotte", "Les Héritiers", "L'Exode", "La Citadelle", "Les Gardiens",
    "Le Dernier Soleil", "Les Colons", "L'Horizon", "La Guerre des étoiles mortes",
]  # fmt: skip
FANTASY_HEADS = [
    "Le Trône", "L'Épée", "La Couronne", "Le Sortilège", "La Reine", "Le Grimoire",
    "La Forteresse", "Le Dragon", "La Prophétie", "Les Loups", "Le Royaume", "La Dague",
]  # fmt: skip
FANTASY_TAILS = [
    "de cendres", "des brumes", "d'obsidienne", "des neiges éternelles", "de lune", "du nord",
    "des marais", "d'ambre", "des sept rivières", "de l'aube rouge", "de sel", "des ronces",
]  # fmt: skip
SF_TOMES = 5
FANTASY_TOMES = 3

BD_HEROES = [
    "Les Aventures de Lou", "Capitaine Morgane", "Les Mystères de Bécherel", "Max et Zélie",
    "La Brigade des rêves", "Le Marquis de Saint-Brieuc", "Les Naufragés d'Ouessant",
    "Odette et les fantômes", "Les Explorateurs du temps", "Le Chat de la mère Michel",
]  # fmt: skip
BD_TOMES = 24
# At least BD_TOMES subtitles: within a series, no two tomes share one.
BD_SUBTITLES = [
    "Le Trésor du Vercors", "L'Île aux brumes", "La Nuit du dragon", "Le Retour du Marquis",
    "Panique à Montmartre", "Les Pirates de la Rance", "Le Secret de la tour",
    "Opération Cerbère", "La Cité engloutie", "Le Rubis de Samarcande", "L'Hiver des loups",
    "Le Carnaval des ombres", "La Malédiction du pharaon", "Rendez-vous à Tanger",
    "Le Phare maudit", "Les Sept Clés", "La Forêt qui chante", "Le Fantôme de l'Opéra-Comique",
    "Le Grand Cirque", "Les Voleurs de nuages", "La Montagne de verre", "Mission Antarctique",
    "Le Masque de jade", "La Dernière Escale", "Le Train fantôme", "La Reine des sables",
]  # fmt: skip

MANGA_SERIES = [
    "Kaze no Tsubasa", "Hoshizora Academy", "Les Lames de Yoru", "Shinrin", "Tokyo Fragments",
    "Le Sabre et la Lune", "Umi no Koe", "Ronin Express", "Akai Hana", "Neo Kyōto Drift",
]  # fmt: skip
MANGA_TOMES = 38
COMICS_SERIES = [
    "Nightwatch", "Les Gardiens de Néo-Paris", "Iron Harbor", "Spectra", "Le Clan Mercure",
    "Silver Comet", "Dead Signal", "La Ligue des ombres",
]  # fmt: skip
COMICS_VOLUMES = 12

# Youth heroes are each one character: the actions are conjugated in the singular.
YOUTH_HEROES = [
    "Léon", "Zoé", "Petit Ours", "Mimi la souris", "Nina", "Capucine", "Ernest le hérisson",
    "Lulu la tortue", "Gaspard", "Anatole", "Rosalie", "Pablo le pingouin", "Zélie",
    "Petit Lapin",
]  # fmt: skip
YOUTH_ACTIONS = [
    "va à l'école", "et le dragon des neiges", "part en vacances", "ne veut pas dormir",
    "fête son anniversaire", "et le loup", "découvre la mer", "a un nouvel ami",
    "et la cabane dans les arbres", "fait de la musique", "et le mystère du grenier",
    "prend le train", "a peur du noir", "va chez le docteur", "et la grande tempête",
    "fait du vélo", "attend le père Noël", "plante un jardin", "et le trésor du pirate",
    "apprend à nager",
]  # fmt: skip

ESSAY_HEADS = [
    "Penser le travail", "Éloge de la lenteur", "Une histoire de la marche", "Le Temps des villes",
    "Habiter la Terre", "La Fabrique de l'opinion", "Les Nouveaux Communs", "Le Goût du vrai",
    "Petite philosophie du jardin", "L'Âge de la vitesse", "Ce que nous devons aux arbres",
    "La Société du sommeil", "L'Invention du paysage", "Le Pouvoir des mots",
    "Le Prix de l'eau", "Une histoire du silence", "La Démocratie des écrans",
    "Le Corps au travail", "Les Frontières du vivant", "L'Ère de la fatigue",
    "Pour une politique des océans", "Le Siècle des migrations", "La Ville à pied",
    "Les Métamorphoses du livre",
]  # fmt: skip
ESSAY_SUBS = [
    "une enquête", "essai sur notre époque", "histoire d'une idée",
    "pour une écologie du quotidien", "ce que la science nous apprend",
    "de l'Antiquité à nos jours", "réflexions sur le présent", "un manifeste",
    "leçons d'un siècle", "petit traité pour temps incertains",
]  # fmt: skip

# One sentence that presents a book, by kind of book: a fantasy novel never gets an essay's.
BOOK_PITCHES = {
    "romans": [
        "Un récit lumineux sur la transmission et les liens qui unissent une famille.",
        "Un roman d'apprentissage porté par une écriture d'une grande délicatesse.",
        "Une fresque ambitieuse qui traverse trois générations.",
        "Un livre drôle et tendre, à lire d'une traite.",
        "Une plongée saisissante dans les secrets d'une petite ville de province.",
        "Un texte bref et intense sur l'absence et la mémoire.",
        "Un classique moderne, enfin réédité.",
    ],
    "policiers-thrillers": [
        "Une enquête haletante, menée tambour battant jusqu'à la dernière page.",
        "Un polar noir et tendu, dans une ville où chacun a quelque chose à cacher.",
        "Un commissaire fatigué, un cadavre sans nom et une vérité que personne ne veut voir.",
        "Un thriller psychologique qui retourne le lecteur jusqu'au dernier chapitre.",
        "Une intrigue au cordeau, où chaque témoin ment un peu.",
    ],
    "sf": [
        "Un space opera foisonnant, entre flottes stellaires et intrigues de pouvoir.",
        "Aux confins de la galaxie, une colonie découvre qu'elle n'est pas seule.",
        "Une anticipation vertigineuse sur ce que deviendra l'humanité.",
        "Des vaisseaux-mondes, une intelligence artificielle rebelle et un équipage à bout.",
    ],
    "fantasy": [
        "Une épopée de fantasy où la magie a un prix que nul ne veut payer.",
        "Dans un royaume déchiré, une héritière sans trône part reconquérir son nom.",
        "Dragons, sortilèges et trahisons : une saga de fantasy au souffle épique.",
        "Une quête à travers des terres oubliées, peuplées de créatures anciennes.",
    ],
    "bd-franco-belge": [
        "Une aventure foisonnante, pleine de rebondissements.",
        "Un album tout public, drôle et plein de panache.",
        "Un dessin élégant au service d'une aventure qui ne laisse pas souffler.",
    ],
    "mangas": [
        "Un shōnen nerveux, porté par des combats spectaculaires.",
        "Un manga sensible sur l'amitié et le passage à l'âge adulte.",
        "Un seinen sombre et maîtrisé, qui gagne en intensité à chaque tome.",
    ],
    "comics": [
        "Des super-héros fatigués face à une menace qui les dépasse.",
        "Un comic d'action au découpage cinématographique.",
        "Une équipe de justiciers masqués, une ville en crise et des secrets bien gardés.",
    ],
    "jeunesse": [
        "Une histoire tendre à lire le soir, avec de grandes illustrations.",
        "Un album plein d'humour pour apprendre en s'amusant.",
        "Une aventure à hauteur d'enfant, pour grandir sans avoir peur.",
    ],
    "essais": [
        "Un regard neuf et documenté sur une question qui nous concerne tous.",
        "Un essai clair et argumenté, nourri des recherches les plus récentes.",
        "Une réflexion stimulante, qui bouscule quelques idées reçues.",
        "Une enquête rigoureuse, accessible sans être simplificatrice.",
    ],
}

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
    "Barclay", "Because Music", "Tôt ou Tard", "Wagram Music", "Universal Music France",
    "Warner Music France", "Sony Music France",
]  # fmt: skip
# Labels of the genres that have their own: a symphony is not released by an electro label.
GENRE_LABELS = {
    "Classique": ["Deutsche Grammophon", "Harmonia Mundi", "Naïve", "Erato", "Alpha Classics"],
    "Jazz": ["Blue Note", "Naïve", "ECM Records", "Jazz Village"],
    "Électro": ["Ed Banger Records", "InFiné", "Because Music", "Warp Records"],
    "Musiques du monde": ["World Circuit", "Buda Musique", "Harmonia Mundi", "Tôt ou Tard"],
}
# Albums only an orchestra, an ensemble or a soloist of classical music would release.
CLASSICAL_ALBUMS = {"Intégrale des sonates", "Les Quatre Saisons", "Variations", "Prélude"}

# Bands: (name, article a sentence puts before it: « l'album du Quatuor Ostinato »).
BAND_HEADS = [
    ("Les Marées", ""), ("Les Lucioles", ""), ("Orage", ""), ("Les Satellites", ""),
    ("Nuit Fauve", ""), ("Les Voyageurs", ""), ("Quatuor Ostinato", "le "),
    ("Trio Alizé", "le "), ("Les Frères Lumière", ""), ("Pavillon Noir", ""), ("Minuit Pile", ""),
    ("Ensemble baroque de Lyon", "l'"), ("Orchestre national d'Île-de-France", "l'"),
    ("Les Gens du Sud", ""),
]  # fmt: skip
CLASSICAL_BANDS = {
    "Quatuor Ostinato",
    "Ensemble baroque de Lyon",
    "Orchestre national d'Île-de-France",
}

ALBUM_TITLES = [
    "Lumières", "Rue des Martyrs", "Sous la pluie d'été", "Live à l'Olympia", "Horizons",
    "Les Jours heureux", "Nocturnes", "Bleu nuit", "Racines", "Chansons de l'exil", "Atlas",
    "Variations", "Carnet de route", "Les Quatre Saisons", "Dernière Danse", "Solstice",
    "Transatlantique", "Prélude", "Ciel de traîne", "Électrique", "Le Grand Bal", "Odyssée",
    "Marée basse", "Intégrale des sonates", "Pays de nulle part", "Best of", "Mirages",
    "Boulevard", "Après minuit", "Terre d'asile", "Nuits blanches", "L'Escale", "Rivages",
    "Pleine Lune", "Les Années lumière", "Fragments", "Chemins de traverse", "Saudade",
    "Petit Matin", "Au bout du quai",
]  # fmt: skip

# One sentence per musical genre.
MUSIC_PITCHES = {
    "Chanson française": "Des chansons à texte, entre tendresse et ironie.",
    "Pop": "Des refrains pop lumineux, taillés pour l'été.",
    "Rock": "Des guitares électriques et une énergie brute, enregistrées en live.",
    "Jazz": "Un jazz élégant, entre standards et compositions originales.",
    "Classique": "Une interprétation saluée par la critique, dans une prise de son exemplaire.",
    "Électro": "Des nappes synthétiques et des rythmes hypnotiques, du club au casque.",
    "Rap": "Des textes affûtés sur des productions sombres et percutantes.",
    "Musiques du monde": "Un voyage musical entre traditions et sonorités d'aujourd'hui.",
}

# Film titles: standalone titles, then every head × tail.
FILM_TITLES = [
    "Les Beaux Jours", "Un été à Biarritz", "La Grande Évasion", "Le Dîner", "Mauvaise Pente",
    "Les Quatre Vents", "L'Inconnue du train", "Nos Années folles", "Le Ciel de Paris",
    "Un homme pressé", "La Vie devant nous", "Le Royaume des glaces", "Frères d'armes",
    "La Part des anges", "Les Gardiens du phare", "Comme un lundi", "Le Dernier Round",
    "Minuit à Montmartre", "Les Apprentis sorciers", "Terre brûlée", "Opération Tonnerre",
    "Le Festin", "La Colline aux coquelicots",
]  # fmt: skip
FILM_HEADS = [
    "Un été", "Une nuit", "Le Bal", "Retour", "Les Amants", "L'Évadé", "Rendez-vous",
    "Les Vacances", "Le Mariage", "La Fugue", "Un hiver", "Le Dernier Jour", "La Course",
    "Les Voisins", "Le Silence", "Un dimanche", "La Tempête", "Les Copains",
]  # fmt: skip
FILM_TAILS = [
    "à Deauville", "à Naples", "au village", "sur la Loire", "à la mer", "en Provence",
    "à Berlin", "sous les tropiques", "à Montréal", "au bout du monde", "en Bretagne",
    "à New York", "dans la vallée", "au Maroc", "à l'hôtel du Nord", "en banlieue",
]  # fmt: skip

# How a film's description names it, and one sentence, by genre.
FILM_NOUNS = {
    "Documentaire": "un documentaire",
    "Animation": "un film d'animation",
}
FILM_PITCHES = {
    "Comédie": "Une comédie enlevée, aux dialogues ciselés.",
    "Drame": "Un drame intime, porté par des interprètes bouleversants.",
    "Policier": "Un polar tendu, entre filatures et faux-semblants.",
    "Animation": "Un film d'animation pour toute la famille, drôle et poétique.",
    "Documentaire": "Un documentaire passionnant, tourné au plus près de ses sujets.",
    "Science-fiction": "Une science-fiction ambitieuse, aux images saisissantes.",
    "Aventure": "Un grand film d'aventure, de l'action et des paysages à couper le souffle.",
}

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

# brand: [(model, base price for 128 Go, storages in Go, colours (PHONE_COLOURS))]
_BASIC = ("Noir", "Blanc", "Bleu", "Vert")
PHONES = {
    "Samsung": [
        ("Galaxy S24", 859, (128, 256, 512), ("Noir", "Gris", "Violet", "Vert")),
        ("Galaxy S24+", 1069, (256, 512), ("Noir", "Gris", "Violet")),
        ("Galaxy S24 Ultra", 1469, (256, 512), ("Noir", "Gris", "Violet", "Titane naturel")),
        ("Galaxy A55", 479, (128, 256), ("Noir", "Bleu", "Violet", "Blanc")),
        ("Galaxy A35", 379, (128, 256), ("Noir", "Bleu", "Violet")),
        ("Galaxy A15", 199, (128,), ("Noir", "Bleu", "Vert")),
        ("Galaxy Z Flip6", 1199, (256, 512), ("Gris", "Bleu", "Vert", "Blanc")),
    ],
    "Apple": [
        ("iPhone 15", 969, (128, 256, 512), ("Noir", "Bleu", "Vert", "Rose")),
        ("iPhone 15 Plus", 1119, (128, 256, 512), ("Noir", "Bleu", "Vert", "Rose")),
        ("iPhone 15 Pro", 1229, (128, 256, 512), ("Noir", "Blanc", "Bleu", "Titane naturel")),
        ("iPhone 14", 769, (128, 256), ("Noir", "Blanc", "Bleu", "Violet")),
        ("iPhone 16", 969, (128, 256, 512), ("Noir", "Blanc", "Rose", "Vert")),
        ("iPhone 16 Pro", 1229, (128, 256, 512), ("Noir", "Blanc", "Titane naturel")),
    ],
    "Google": [
        ("Pixel 8", 699, (128, 256), ("Noir", "Blanc", "Rose")),
        ("Pixel 8a", 549, (128, 256), ("Noir", "Blanc", "Bleu", "Vert")),
        ("Pixel 9", 899, (128, 256), ("Noir", "Blanc", "Rose", "Vert")),
        ("Pixel 9 Pro", 1099, (128, 256, 512), ("Noir", "Blanc", "Gris", "Rose")),
    ],
    "Xiaomi": [
        ("Redmi Note 13", 249, (128, 256), ("Noir", "Bleu", "Vert")),
        ("Redmi Note 13 Pro", 399, (256, 512), ("Noir", "Blanc", "Violet")),
        ("14T", 649, (256, 512), ("Noir", "Gris", "Bleu")),
        ("Redmi 13C", 149, (128,), ("Noir", "Bleu", "Vert")),
    ],
    "OnePlus": [
        ("12", 899, (256, 512), ("Noir", "Vert")),
        ("Nord 4", 499, (128, 256), ("Noir", "Vert", "Gris")),
        ("Nord CE4", 349, (128, 256), ("Noir", "Vert")),
    ],
    "Fairphone": [("Fairphone 5", 699, (256,), ("Noir", "Bleu", "Blanc"))],
    "Motorola": [
        ("moto g84", 299, (256,), ("Noir", "Bleu", "Rose")),
        ("moto g54", 229, (128, 256), ("Noir", "Bleu", "Vert")),
        ("edge 50", 599, (256, 512), ("Noir", "Vert", "Rose")),
    ],
    "Nothing": [
        ("Phone (2a)", 349, (128, 256), _BASIC[:2]),
        ("Phone (2)", 649, (256, 512), _BASIC[:2]),
    ],
}
NO_5G_PHONES = {"Redmi 13C"}

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
# brand: [(model, base price, form, wired, active noise cancelling, colours)]
_HP = ("noir", "blanc", "bleu nuit", "beige")
HEADPHONES = {
    "Sony": [
        ("WH-1000XM5", 399, "Circum-auriculaire", False, True, ("noir", "argent", "bleu nuit")),
        ("WH-1000XM4", 299, "Circum-auriculaire", False, True, ("noir", "argent", "bleu nuit")),
        ("WF-1000XM5", 319, "Intra-auriculaire", False, True, ("noir", "argent")),
        (
            "WF-C700N",
            119,
            "Intra-auriculaire",
            False,
            True,
            ("noir", "blanc", "lavande", "vert sauge"),
        ),
        ("WH-CH720N", 149, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("WH-CH520", 59, "Supra-auriculaire", False, False, ("noir", "blanc", "bleu", "beige")),
        ("WF-C500", 69, "Intra-auriculaire", False, False, ("noir", "blanc", "orange corail")),
        ("ULT Wear", 199, "Circum-auriculaire", False, True, ("noir", "blanc", "vert forêt")),
        ("LinkBuds S", 179, "Intra-auriculaire", False, True, ("noir", "blanc", "beige")),
    ],
    "Bose": [
        (
            "QuietComfort Ultra",
            449,
            "Circum-auriculaire",
            False,
            True,
            ("noir", "blanc", "bleu nuit"),
        ),
        (
            "QuietComfort Ultra Earbuds",
            349,
            "Intra-auriculaire",
            False,
            True,
            ("noir", "blanc", "bleu nuit"),
        ),
        ("QuietComfort 45", 279, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu nuit")),
        ("QuietComfort Earbuds II", 299, "Intra-auriculaire", False, True, ("noir", "blanc")),
        ("QuietComfort", 349, "Circum-auriculaire", False, True, ("noir", "blanc", "vert cyprès")),
    ],
    "JBL": [
        ("Tune 770NC", 129, "Supra-auriculaire", False, True, _HP),
        ("Tune 520BT", 49, "Supra-auriculaire", False, False, ("noir", "blanc", "bleu", "violet")),
        ("Live Pro 2", 149, "Intra-auriculaire", False, True, ("noir", "bleu", "argent")),
        ("Tune Flex", 99, "Intra-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("Live 770NC", 199, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("Tour One M2", 299, "Circum-auriculaire", False, True, ("noir", "beige")),
    ],
    "Sennheiser": [
        ("Momentum 4", 349, "Circum-auriculaire", False, True, ("noir", "blanc", "graphite")),
        ("HD 560S", 199, "Circum-auriculaire", True, False, ("noir",)),
        (
            "Momentum True Wireless 4",
            299,
            "Intra-auriculaire",
            False,
            True,
            ("noir", "graphite", "argent"),
        ),
        ("Accentum Plus", 229, "Circum-auriculaire", False, True, ("noir", "blanc")),
        ("HD 450BT", 149, "Circum-auriculaire", False, True, ("noir", "blanc")),
        ("CX Plus", 129, "Intra-auriculaire", False, True, ("noir", "blanc")),
    ],
    "Apple": [
        ("AirPods Pro 2", 279, "Intra-auriculaire", False, True, ("blanc",)),
        ("AirPods 4", 149, "Intra-auriculaire", False, False, ("blanc",)),
        ("AirPods 4 avec réduction de bruit", 199, "Intra-auriculaire", False, True, ("blanc",)),
        (
            "AirPods Max",
            579,
            "Circum-auriculaire",
            False,
            True,
            ("minuit", "lumière stellaire", "bleu", "violet", "orange"),
        ),
    ],
    "Marshall": [
        ("Major V", 149, "Supra-auriculaire", False, False, ("noir", "marron")),
        ("Monitor II ANC", 329, "Circum-auriculaire", False, True, ("noir",)),
        ("Motif II ANC", 229, "Intra-auriculaire", False, True, ("noir",)),
        ("Minor IV", 129, "Intra-auriculaire", False, False, ("noir", "crème")),
    ],
    "Beyerdynamic": [
        ("DT 770 Pro", 159, "Circum-auriculaire", True, False, ("noir", "gris")),
        ("DT 990 Pro", 169, "Circum-auriculaire", True, False, ("noir",)),
        ("Aventho 300", 299, "Circum-auriculaire", False, True, ("noir", "beige")),
    ],
    "Samsung": [
        ("Galaxy Buds3 Pro", 249, "Intra-auriculaire", False, True, ("argent", "blanc")),
        ("Galaxy Buds FE", 99, "Intra-auriculaire", False, True, ("graphite", "blanc")),
    ],
    "Jabra": [
        ("Elite 10", 249, "Intra-auriculaire", False, True, ("noir", "crème", "bleu")),
        ("Elite 8 Active", 199, "Intra-auriculaire", False, True, ("noir", "bleu", "beige")),
    ],
    "Audio-Technica": [
        ("ATH-M50x", 169, "Circum-auriculaire", True, False, ("noir", "blanc")),
        ("ATH-M20x", 59, "Circum-auriculaire", True, False, ("noir",)),
    ],
    "Beats": [
        ("Studio Pro", 399, "Circum-auriculaire", False, True, ("noir", "sable", "bleu marine")),
        ("Solo 4", 229, "Supra-auriculaire", False, False, ("noir", "bleu", "rose")),
        ("Fit Pro", 229, "Intra-auriculaire", False, True, ("noir", "blanc", "violet")),
    ],
    "Bang & Olufsen": [
        ("Beoplay H95", 899, "Circum-auriculaire", False, True, ("noir", "or", "gris brume")),
        ("Beoplay HX", 499, "Circum-auriculaire", False, True, ("noir", "sable", "bleu")),
        ("Beoplay EX", 399, "Intra-auriculaire", False, True, ("noir", "or", "bleu")),
    ],
    "Skullcandy": [
        ("Crusher Evo", 199, "Circum-auriculaire", False, False, ("noir", "beige", "bleu")),
        ("Hesh ANC", 129, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("Dime 3", 29, "Intra-auriculaire", False, False, ("noir", "blanc", "vert", "rose")),
        ("Rail ANC", 99, "Intra-auriculaire", False, True, ("noir", "bleu", "blanc")),
    ],
    "Soundcore": [
        ("Space One", 99, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("Liberty 4 NC", 99, "Intra-auriculaire", False, True, ("noir", "blanc", "bleu", "rose")),
        ("Life Q30", 79, "Circum-auriculaire", False, True, ("noir", "blanc", "bleu")),
        ("P40i", 59, "Intra-auriculaire", False, True, ("noir", "blanc", "bleu", "violet")),
    ],
    "Google": [
        (
            "Pixel Buds Pro 2",
            249,
            "Intra-auriculaire",
            False,
            True,
            ("noir", "porcelaine", "vert sauge", "rose"),
        ),
        ("Pixel Buds A-Series", 99, "Intra-auriculaire", False, False, ("blanc", "vert sauge")),
    ],
    "Nothing": [
        ("Ear", 149, "Intra-auriculaire", False, True, ("noir", "blanc")),
        ("Ear (a)", 99, "Intra-auriculaire", False, True, ("noir", "blanc", "jaune")),
        ("Headphone (1)", 299, "Circum-auriculaire", False, True, ("noir", "gris")),
    ],
    "Philips": [
        ("TAH8506", 149, "Circum-auriculaire", False, True, ("noir", "blanc")),
        ("TAT2206", 39, "Intra-auriculaire", False, False, ("noir", "blanc", "bleu", "rose")),
        ("TAH4209", 59, "Supra-auriculaire", False, False, ("noir", "blanc", "bleu")),
    ],
    "Huawei": [
        ("FreeBuds Pro 3", 199, "Intra-auriculaire", False, True, ("noir", "blanc", "vert")),
        ("FreeClip", 199, "Intra-auriculaire", False, False, ("noir", "violet")),
    ],
}
TV_BRANDS = {
    "Samsung": ["QLED", "LED", "OLED"], "LG": ["OLED", "LED"], "Sony": ["LED", "OLED"],
    "Philips": ["LED", "OLED"], "TCL": ["QLED", "Mini LED"], "Hisense": ["Mini LED", "LED"],
    "Panasonic": ["LED", "OLED"],
}  # fmt: skip
TV_SIZES = [32, 43, 50, 55, 65, 75, 85]

# --- Travel and press -----------------------------------------------------------------------------

DESTINATIONS = {
    "sejours-france": ["Corse", "Bretagne", "Provence", "Alsace", "Côte basque", "Alpes",
                       "Périgord", "Côte d'Azur", "Normandie", "Jura"],
    "voyages-europe": ["Lisbonne", "Rome", "Crète", "Sicile", "Andalousie", "Croatie", "Écosse",
                       "Islande", "Baléares", "Cyclades"],
    "long-courrier": ["Martinique", "Guadeloupe", "La Réunion", "Sénégal", "Japon", "Québec",
                      "Thaïlande", "Vietnam", "Pérou", "Costa Rica"],
}  # fmt: skip
# How a title names the destination: « Séjour en Corse », « Circuit au Japon ».
DESTINATION_IN = {
    "Corse": "en Corse", "Bretagne": "en Bretagne", "Provence": "en Provence",
    "Alsace": "en Alsace", "Côte basque": "sur la Côte basque", "Alpes": "dans les Alpes",
    "Périgord": "dans le Périgord", "Côte d'Azur": "sur la Côte d'Azur",
    "Normandie": "en Normandie", "Jura": "dans le Jura", "Lisbonne": "à Lisbonne",
    "Rome": "à Rome", "Crète": "en Crète", "Sicile": "en Sicile", "Andalousie": "en Andalousie",
    "Croatie": "en Croatie", "Écosse": "en Écosse", "Islande": "en Islande",
    "Baléares": "aux Baléares", "Cyclades": "dans les Cyclades", "Martinique": "en Martinique",
    "Guadeloupe": "en Guadeloupe", "La Réunion": "à La Réunion", "Sénégal": "au Sénégal",
    "Japon": "au Japon", "Québec": "au Québec", "Thaïlande": "en Thaïlande",
    "Vietnam": "au Vietnam", "Pérou": "au Pérou", "Costa Rica": "au Costa Rica",
}  # fmt: skip
TRIP_KINDS = ["Séjour", "Circuit", "Week-end", "Croisière"]
COASTAL = {
    "Corse", "Bretagne", "Côte basque", "Côte d'Azur", "Crète", "Sicile", "Croatie", "Baléares",
    "Cyclades", "Martinique", "Guadeloupe", "La Réunion", "Thaïlande", "Vietnam", "Islande",
    "Normandie",
}  # fmt: skip
TRIP_DAYS = (5, 8, 10, 15)
TRIP_BOARDS = ("Petit-déjeuner", "Demi-pension", "Pension complète", "Tout compris")

# Press titles: the first ones as written, then every name × theme (magazines) and name × region
# (dailies). (title, frequency, issues per year) by category.
PUBLICATIONS = {
    "magazines": [
        ("L'Écho des cimes", "Mensuel", 12), ("Jardins de France et d'ailleurs", "Bimestriel", 6),
        ("Le Petit Cuisinier", "Mensuel", 12), ("Science & Curiosité", "Mensuel", 12),
        ("L'Hebdo des livres", "Hebdomadaire", 52), ("Voiles et Vents", "Bimestriel", 6),
        ("Histoire vivante", "Trimestriel", 4), ("Images & Cinéma", "Mensuel", 11),
    ],
    "quotidiens": [
        ("Le Quotidien de l'Ouest", "Quotidien", 312), ("La Gazette du Rhône", "Quotidien", 312),
        ("Le Courrier de l'Économie", "Quotidien", 250),
    ],
}  # fmt: skip
MAGAZINE_NAMES = [
    ("Le Journal", "Mensuel", 12),
    ("La Revue", "Trimestriel", 4),
    ("Les Cahiers", "Bimestriel", 6),
    ("Le Magazine", "Mensuel", 12),
    ("La Lettre", "Hebdomadaire", 52),
    ("L'Atelier", "Bimestriel", 6),
    ("Le Carnet", "Mensuel", 11),
    ("Les Nouvelles", "Hebdomadaire", 52),
    ("Le Guide", "Trimestriel", 4),
    ("L'Almanach", "Trimestriel", 4),
    ("Le Mag", "Mensuel", 12),
    ("Les Chroniques", "Bimestriel", 6),
]
MAGAZINE_THEMES = [
    "du jardin", "de la mer", "du cinéma", "des livres", "de la cuisine", "des sciences",
    "de l'histoire", "du voyage", "de la photo", "de la maison", "du vélo", "de la voile",
    "des enfants", "de la musique", "du bricolage", "des arts", "de la nature", "des jeux",
    "de la montagne", "du vin", "de l'astronomie", "de la randonnée", "des chats", "du patrimoine",
]  # fmt: skip
DAILY_NAMES = [
    "Le Quotidien", "La Gazette", "Le Courrier", "Le Républicain", "L'Éclair", "La Dépêche",
    "Le Progrès", "Le Journal", "La Voix", "Le Réveil",
]  # fmt: skip
DAILY_REGIONS = [
    "du Centre",
    "de Provence",
    "des Alpes",
    "des Flandres",
    "de Bourgogne",
    "de l'Est",
    "du Quercy",
    "de Normandie",
    "de Savoie",
    "des Landes",
    "du Berry",
    "de Picardie",
    "de la Loire",
    "du Limousin",
    "d'Auvergne",
    "du Béarn",
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
