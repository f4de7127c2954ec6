"""What customers type in each language in the conversation tests (not in the training data)."""

HOW_TO_REGISTER = {
    "en": "Could you walk me through the whole registration for CPS from the start?",
    "fi": "Miten koko rekisteröityminen CPS-palveluun menee alusta loppuun?",
    "et": "Kuidas kogu CPS-i registreerumine algusest lõpuni käib?",
    "nb": "Hvordan foregår hele registreringen til CPS fra start til slutt?",
    "lt": "Kaip vyksta visa registracija į CPS nuo pradžios iki galo?",
    "sv": "Hur går hela registreringen till CPS till från början till slut?",
}

MIGRATE_BUTTON_MISSING = {
    "en": "I logged in but there is no blue MIGRATE PRODUCTS button anywhere",
    "fi": "kirjauduin sisään mutta sinistä SIIRRÄ TUOTTEITA -painiketta ei näy missään",
    "et": "logisin sisse aga sinist MIGREERI TOOTED nuppu pole kuskil näha",
    "nb": "jeg har logget inn men ser ingen blå MIGRER PRODUKTER-knapp noe sted",
    "lt": "prisijungiau, bet niekur nematau mėlyno mygtuko MIGRUOTI PRODUKTUS",
    "sv": "jag har loggat in men ser ingen blå MIGRERA PRODUKTER-knapp någonstans",
}

GREEN_TICK_MISSING = {
    "en": "one of my lenses has no green tick and no points, why?",
    "fi": "yhdellä objektiivillani ei ole vihreää valintamerkkiä eikä pisteitä, miksi?",
    "et": "ühel mu objektiivil pole rohelist linnukest ega punkte, miks?",
    "nb": "ett av objektivene mine har ingen grønn hake og ingen poeng, hvorfor?",
    "lt": "vienas mano objektyvas neturi žalios varnelės ir taškų, kodėl?",
    "sv": "ett av mina objektiv har ingen grön bock och inga poäng, varför?",
}

JOIN_CPS = {
    "en": "I think I have enough points now, how do I join CPS?",
    "fi": "Luulen että minulla on nyt tarpeeksi pisteitä, miten liityn CPS-palveluun?",
    "et": "Mul peaks nüüd piisavalt punkte olema, kuidas ma CPS-iga liitun?",
    "nb": "Jeg tror jeg har nok poeng nå, hvordan blir jeg med i CPS?",
    "lt": "Manau, kad dabar turiu pakankamai taškų, kaip prisijungti prie CPS?",
    "sv": "Jag tror att jag har tillräckligt med poäng nu, hur går jag med i CPS?",
}

MIGRATE_PRODUCTS = {
    "sv": "hur flyttar jag produkterna från mitt gamla CPS-konto till det nya?",
    "nb": "hvordan flytter jeg produktene fra den gamle CPS-kontoen til den nye?",
}

NEXT_STEP = {
    "en": "what should I do next with my account?",
    "et": "mis on minu järgmine samm?",
}

YES = {"en": "yes please", "fi": "kyllä kiitos", "et": "jah palun", "nb": "ja takk", "lt": "taip, prašau",
       "sv": "ja tack"}

# Messages in languages the assistant does not speak.
UNSUPPORTED = "Warum sehe ich die blaue Schaltfläche zum Übertragen meiner Produkte nicht?"

GREET = {"en": "hi there", "fi": "moikka", "et": "tere õhtust", "nb": "hei på deg", "lt": "labas vakaras",
         "sv": "hej hej"}
DOCUMENTS = {
    "en": "we are not VAT registered, which document can we attach instead?",
    "fi": "meillä ei ole ALV-tunnusta, mikä asiakirja pitää liittää hakemukseen?",
    "et": "me pole käibemaksukohuslane, millise dokumendi peame taotlusele lisama?",
    "nb": "vi er ikke mva-registrert, hvilket dokument må vi legge ved søknaden?",
    "lt": "nesame PVM mokėtojai, kokį dokumentą turime pridėti prie paraiškos?",
    "sv": "vi är inte momsregistrerade, vilket dokument ska vi bifoga till ansökan?",
}
PAYMENT = {
    "en": "can I pay the membership by bank transfer instead of card?",
    "fi": "voiko jäsenyyden maksaa pankkisiirrolla kortin sijaan?",
    "et": "kas liikmemaksu saab maksta pangaülekandega, mitte kaardiga?",
    "nb": "kan jeg betale medlemskapet med bankoverføring i stedet for kort?",
    "lt": "ar galiu už narystę sumokėti banko pavedimu, o ne kortele?",
    "sv": "kan jag betala medlemskapet med banköverföring i stället för kort?",
}
NO = {"en": "no thanks", "fi": "ei kiitos", "et": "ei aitäh", "nb": "nei takk", "lt": "ne, ačiū", "sv": "nej tack"}
THANKS = {"en": "thanks a lot!", "fi": "kiitos paljon!", "et": "suur aitäh!", "nb": "tusen takk!",
          "lt": "labai ačiū!", "sv": "tack så mycket!"}
BYE = {"en": "bye for now", "fi": "heippa", "et": "head aega", "nb": "ha det bra", "lt": "viso gero",
       "sv": "hej då"}
