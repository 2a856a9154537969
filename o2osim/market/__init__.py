"""The market's phases: each owns its state and is given what it works on.

:class:`o2osim.model.O2OMarket` builds them and runs them in the order of the week
(``docs/design.md`` lists what each reads and writes):

- :class:`Calendar`, :class:`PriceLevels` (``calendar``): year and week, month ends,
  promotion events, this year's rent, wages and basket value;
- :class:`Cohorts` (``cohorts``): consumers leave at the exit age, a cohort comes of age;
- :class:`PlatformCustomers` (``customers``): who is a customer of which platform;
- :class:`Adoption` (``adoption``): Bass diffusion of online and phone shopping;
- :class:`AttentionMarket` (``attention``): sellers buy traffic, paid visits win customers;
- :class:`Shopping` (``shopping``): needs, choice, checkout, visits;
- :class:`OnlineSelling` (``online``): orders on the platforms, counterfeits, trust, word
  of mouth;
- :class:`StoreNetwork` (``stores``): where stores are, choice sets, books, dealers, entry
  and exit;
- :class:`StoreFormats` (``formats``): showrooms, pick-up and service points, their fees,
  and full stores that change format;
- :class:`PriceSetting` (``pricing``): at each month's end sellers set next month's prices;
- :class:`BrandDesk` (``brands``): needs by brand, channel strategies, the brands' books;
- :class:`BrandRivalry` (``rivalry``): brands that decide spend on marketing by channel,
  their shares follow their goodwill, online-native brands enter;
- :class:`YearEnd` (``books``): churn and the firms' year;
- :class:`FirmDecisions` (``decisions``): adaptive firms judge their year and move a lever,
  push brands plan production, stores that decide choose their format.

The week's counters are one :class:`Week` record passed to the phases that count. Phases
read the market through :class:`o2osim.agents.protocol.Market`.
"""

from o2osim.market.adoption import Adoption
from o2osim.market.attention import AttentionMarket
from o2osim.market.books import YearEnd
from o2osim.market.brands import BrandDesk
from o2osim.market.calendar import Calendar, PriceLevels
from o2osim.market.cohorts import Cohorts
from o2osim.market.customers import PlatformCustomers
from o2osim.market.decisions import FirmDecisions
from o2osim.market.formats import StoreFormats
from o2osim.market.online import OnlineSelling
from o2osim.market.pricing import PriceSetting
from o2osim.market.rivalry import BrandRivalry
from o2osim.market.shopping import Shopping
from o2osim.market.stores import StoreNetwork
from o2osim.market.week import Week

__all__ = [
    "Adoption",
    "AttentionMarket",
    "BrandDesk",
    "BrandRivalry",
    "Calendar",
    "Cohorts",
    "FirmDecisions",
    "OnlineSelling",
    "PlatformCustomers",
    "PriceLevels",
    "PriceSetting",
    "Shopping",
    "StoreFormats",
    "StoreNetwork",
    "Week",
    "YearEnd",
]
