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
    "et": "mida ma peaksin nüüd oma kontoga edasi tegema?",
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

APPLY = {
    "en": "I'd like to apply for a Canon business account right now",
    "fi": "haluaisin hakea Canonin yritystiliä nyt heti",
    "et": "tahaksin kohe Canoni ärikontot taotleda",
    "nb": "jeg vil søke om en Canon-bedriftskonto nå",
    "lt": "norėčiau dabar pateikti paraišką Canon verslo paskyrai",
    "sv": "jag vill ansöka om ett Canon-företagskonto nu",
}
REGISTER_PRODUCT = {
    "en": "I bought a new camera body, how do I register it?",
    "fi": "ostin uuden kameranrungon, miten rekisteröin sen?",
    "et": "ostsin uue kaamera kere, kuidas ma selle registreerin?",
    "nb": "jeg har kjøpt et nytt kamerahus, hvordan registrerer jeg det?",
    "lt": "nusipirkau naują fotoaparatą, kaip jį užregistruoti?",
    "sv": "jag har köpt ett nytt kamerahus, hur registrerar jag det?",
}
STATUS = {
    "en": "I applied three days ago and my account still isn't ready, what's going on?",
    "fi": "hain tiliä kolme päivää sitten eikä se ole vieläkään valmis, mikä kestää?",
    "et": "esitasin taotluse kolm päeva tagasi ja konto pole ikka valmis, mis toimub?",
    "nb": "jeg søkte for tre dager siden og kontoen er fortsatt ikke klar, hva skjer?",
    "lt": "paraišką pateikiau prieš tris dienas, o paskyra vis dar neparuošta, kas vyksta?",
    "sv": "jag ansökte för tre dagar sedan och kontot är fortfarande inte klart, vad händer?",
}
PASSWORD = {
    "en": "I never got the email from donotreply to set my password",
    "fi": "en ole saanut donotreply-viestiä salasanan asettamista varten",
    "et": "ma pole saanud donotreply kirja parooli määramiseks",
    "nb": "jeg har aldri fått e-posten fra donotreply for å sette passordet",
    "lt": "negavau laiško iš donotreply slaptažodžiui nustatyti",
    "sv": "jag har aldrig fått mejlet från donotreply för att sätta mitt lösenord",
}
POINTS = {
    "en": "how many points do I have at the moment?",
    "fi": "montako pistettä minulla on tällä hetkellä?",
    "et": "mitu punkti mul praegu on?",
    "nb": "hvor mange poeng har jeg nå?",
    "lt": "kiek taškų šiuo metu turiu?",
    "sv": "hur många poäng har jag just nu?",
}
TIERS = {
    "en": "which membership levels can I choose with my points?",
    "fi": "mitkä jäsenyystasot voin valita pisteilläni?",
    "et": "milliseid liikmelisuse tasemeid saan oma punktidega valida?",
    "nb": "hvilke medlemsnivåer kan jeg velge med poengene mine?",
    "lt": "kokius narystės lygius galiu pasirinkti su savo taškais?",
    "sv": "vilka medlemsnivåer kan jag välja med mina poäng?",
}
INVOICE = {
    "en": "when will my card actually be charged for the membership?",
    "fi": "milloin jäsenyysmaksu oikeasti veloitetaan kortiltani?",
    "et": "millal mu kaardilt liikmemaks tegelikult maha võetakse?",
    "nb": "når blir kortet mitt faktisk belastet for medlemskapet?",
    "lt": "kada iš tikrųjų bus nuskaityti pinigai nuo mano kortelės už narystę?",
    "sv": "när dras pengarna för medlemskapet faktiskt från mitt kort?",
}
NUMBER = {
    "en": "will I keep my old CPS membership number?",
    "fi": "säilyykö vanha CPS-jäsennumeroni?",
    "et": "kas mu vana CPS-i liikmenumber jääb samaks?",
    "nb": "beholder jeg det gamle CPS-medlemsnummeret mitt?",
    "lt": "ar išliks mano senas CPS narystės numeris?",
    "sv": "får jag behålla mitt gamla CPS-medlemsnummer?",
}
START = {
    "en": "can I use the membership straight away or do I have to wait for the payment?",
    "fi": "voinko käyttää jäsenyyttä heti vai pitääkö odottaa maksua?",
    "et": "kas saan liikmelisust kohe kasutada või pean makset ootama?",
    "nb": "kan jeg bruke medlemskapet med en gang, eller må jeg vente på betalingen?",
    "lt": "ar galiu naudotis naryste iš karto, ar turiu laukti apmokėjimo?",
    "sv": "kan jag använda medlemskapet direkt eller måste jag vänta på betalningen?",
}
HUMAN = {
    "en": "can I speak to someone from support please",
    "fi": "voinko puhua jonkun asiakastuen ihmisen kanssa",
    "et": "kas saaksin rääkida klienditoe inimesega",
    "nb": "kan jeg få snakke med en person fra kundestøtte",
    "lt": "ar galiu pasikalbėti su palaikymo tarnybos žmogumi",
    "sv": "kan jag få prata med en person på supporten",
}
CANCEL = {"en": "cancel", "fi": "peruuta", "et": "tühista", "nb": "avbryt", "lt": "atšaukti", "sv": "avbryt"}
NEXT_STEP.update({
    "fi": "mikä on seuraava askeleeni?",
    "nb": "hva er neste steg for meg?",
    "lt": "ką man dabar toliau daryti su paskyra?",
    "sv": "vad ska jag göra härnäst med mitt konto?",
})
