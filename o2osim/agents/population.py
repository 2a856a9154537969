"""The consumers' columns: one numpy array per attribute, row ``i`` = consumer ``i``.

A million ``mesa.Agent`` objects each holding its own attributes would not fit the time and
memory budget, so the population keeps one contiguous array per attribute and the market's rules
run vectorized over it; :class:`o2osim.agents.consumers.Consumer` is a Mesa agent view on one
row. The ``draw_*`` functions draw the initial traits of new consumers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from o2osim.mechanisms import demography, geography, network
from o2osim.units import NO_CHANNEL

if TYPE_CHECKING:
    from o2osim.scenario import Scenario


@dataclass(eq=False)
class Population:
    """The columns of consumer state, one array per attribute, row ``i`` = consumer ``i``.

    Rows are slots: the arrays hold room for everyone who will be in the market during the run,
    and ``alive`` says which slots are taken now. A person who leaves frees the slot; a newcomer
    takes a free slot with its home and its place in the contact network.

    Attributes:
        alive: Whether the slot holds a consumer in the market now (bool).
        birth_year: Calendar year of birth (int16); the consumer's cohort.
        x: Home east coordinate, km (float32).
        y: Home north coordinate, km (float32).
        district: District index of the home (int32).
        cell: Travel cell of the home (int32); store distances are measured from its centre.
        trust_offline: Trust in physical stores, 0-1 (float32).
        trust_online: Trust in each platform, 0-1, shape (n, platforms) (float32).
        online: Whether the consumer shops online (bool).
        preferred_channel: Channel of the last purchase: -1 none, 0 stores, k+1 platform k (int8).
        orders: Orders this consumer has placed (int32).
        need_rate: Weekly chance of a purchase need, 0-1 (float32).
        contacts_indptr: CSR row pointers of the social contacts (int64, n + 1).
        contacts: CSR contact indices (int32).
        adopted_contacts: How many of each consumer's contacts shop online (int32).
        alive_contacts: How many of each consumer's contacts are in the market (int32).
        mobile: Whether the consumer shops on a phone (bool).
        customer_of: Bit ``k`` set if the consumer is a customer of platform ``k`` (uint8).
        won_this_year: Bit ``k`` set if platform ``k`` won it as a customer this year (uint8).
        bought_last_year: Bit ``k`` set if it bought on platform ``k`` last year (uint8).
        bought_this_year: Bit ``k`` set if it bought on platform ``k`` this year (uint8).
        store_last_year: Store of its last store purchase last year, -1 if none (int32).
        store_this_year: Store of its last store purchase this year, -1 if none (int32).
        came_back: Whether it bought again this year at ``store_last_year`` (bool).
        shop: Shop of its last order on each platform, -1 if none, shape (n, platforms) (int32).
        shop_last_year: Platform shop of its last online order last year (int64 key, -1 none).
        shop_this_year: Platform shop of its last online order this year (int64 key, -1 none).
        shop_came_back: Whether it bought again this year at ``shop_last_year`` (bool).
        shop_first_tick: Tick of its first order at its current shop on each platform while it
            has not bought there again, -1 otherwise, shape (n, platforms) (int32).
        sated_until: Tick until which it has no need after a promotion purchase (int32).
        large_account: Whether it buys for a business or an institution (bool).
        member_store: Bit ``b`` set if it is a member of brand ``b``'s programme in stores.
        member_online: Bit ``b`` set if it is a member of brand ``b``'s programme online.
        brand_last_year: Bit ``b`` set if it bought brand ``b``'s goods last year (uint8).
        brand_this_year: Bit ``b`` set if it bought brand ``b``'s goods this year (uint8).
        link_level: Its tie to each brand: 0 none, 1 customer, 2 user, 3 fan, 4 partner
            (int8, shape (n, brands)).
        referred: Brand a fan recommended to it, -1 for none (int8); its next need is for it.
        referred_by_partner: Whether that recommendation came from a partner who resells.
        variant: The product variant its needs are for (int8).
        usual_brand: Brand of its last purchase, the number of brands for a rival's goods, -1
            before its first purchase (int8).
    """

    alive: np.ndarray
    birth_year: np.ndarray
    x: np.ndarray
    y: np.ndarray
    district: np.ndarray
    cell: np.ndarray
    trust_offline: np.ndarray
    trust_online: np.ndarray
    online: np.ndarray
    preferred_channel: np.ndarray
    orders: np.ndarray
    need_rate: np.ndarray
    contacts_indptr: np.ndarray
    contacts: np.ndarray
    adopted_contacts: np.ndarray
    alive_contacts: np.ndarray
    mobile: np.ndarray
    customer_of: np.ndarray
    won_this_year: np.ndarray
    bought_last_year: np.ndarray
    bought_this_year: np.ndarray
    store_last_year: np.ndarray
    store_this_year: np.ndarray
    came_back: np.ndarray
    shop: np.ndarray
    shop_last_year: np.ndarray
    shop_this_year: np.ndarray
    shop_came_back: np.ndarray
    shop_first_tick: np.ndarray
    sated_until: np.ndarray
    large_account: np.ndarray
    member_store: np.ndarray
    member_online: np.ndarray
    brand_last_year: np.ndarray
    brand_this_year: np.ndarray
    link_level: np.ndarray
    referred: np.ndarray
    referred_by_partner: np.ndarray
    usual_brand: np.ndarray
    variant: np.ndarray

    @property
    def size(self) -> int:
        """Number of slots (consumers in the market now and room for those to come)."""
        return int(self.x.size)

    @property
    def count(self) -> int:
        """Number of consumers in the market now."""
        return int(np.count_nonzero(self.alive))

    @classmethod
    def build(cls, scenario: Scenario, rng: np.random.Generator) -> Population:
        """Draw a population for a scenario: homes, ages, initial trust and early adopters.

        Args:
            scenario: The validated scenario.
            rng: The model's random stream.

        Returns:
            A new population.
        """
        pop = scenario.population
        c = scenario.consumers
        d = scenario.demography
        n0 = pop.consumers
        expected = demography.expected_population(
            d, scenario.time.start_year, scenario.time.years, n0
        )
        # room for the largest expected population plus sampling noise
        n = max(n0, int(np.ceil(expected.max() * 1.05)) + 64) if d.turnover else n0
        x, y = geography.place_people(n, pop.area_km, rng)
        weights = demography.initial_age_weights(d, scenario.time.start_year)
        ages = d.entry_age + rng.choice(weights.size, size=n, p=weights)
        alive = np.zeros(n, dtype=bool)
        alive[:n0] = True
        n_platforms = max(len(scenario.platforms), 1)
        district = geography.district_of(x, y, pop.area_km, pop.districts)
        ring = np.lexsort((x, district))  # neighbours on the ring live near each other
        indptr, contacts = network.small_world(
            ring, scenario.adoption.mean_degree, scenario.adoption.rewire, rng
        )
        online = (rng.random(n) < scenario.adoption.initial_adopters) & alive

        def trust(mean: float, shape: tuple[int, ...]) -> np.ndarray:
            return draw_trust(mean, c.trust_spread, shape, rng)

        return cls(
            alive=alive,
            birth_year=(scenario.time.start_year - ages).astype(np.int16),
            x=x,
            y=y,
            district=district,
            cell=geography.district_of(x, y, pop.area_km, pop.cells_per_side),
            trust_offline=trust(c.initial_trust_offline, (n,)),
            trust_online=trust(c.initial_trust_online, (n, n_platforms)),
            online=online,
            preferred_channel=np.full(n, NO_CHANNEL, dtype=np.int8),
            orders=np.zeros(n, dtype=np.int32),
            need_rate=draw_need_rates(c.purchase_rate, c.purchase_rate_cv, n, rng),
            contacts_indptr=indptr,
            contacts=contacts,
            adopted_contacts=count_in(contacts, np.flatnonzero(online), indptr, n),
            alive_contacts=count_in(contacts, np.flatnonzero(alive), indptr, n),
            mobile=np.zeros(n, dtype=bool),
            customer_of=np.zeros(n, dtype=np.uint8),
            won_this_year=np.zeros(n, dtype=np.uint8),
            bought_last_year=np.zeros(n, dtype=np.uint8),
            bought_this_year=np.zeros(n, dtype=np.uint8),
            store_last_year=np.full(n, -1, dtype=np.int32),
            store_this_year=np.full(n, -1, dtype=np.int32),
            came_back=np.zeros(n, dtype=bool),
            shop=np.full((n, n_platforms), -1, dtype=np.int32),
            shop_last_year=np.full(n, -1, dtype=np.int64),
            shop_this_year=np.full(n, -1, dtype=np.int64),
            shop_came_back=np.zeros(n, dtype=bool),
            shop_first_tick=np.full((n, n_platforms), -1, dtype=np.int32),
            sated_until=np.zeros(n, dtype=np.int32),
            large_account=draw_large_accounts(c.large_account_share, n, rng),
            member_store=np.zeros(n, dtype=np.uint8),
            member_online=np.zeros(n, dtype=np.uint8),
            brand_last_year=np.zeros(n, dtype=np.uint8),
            brand_this_year=np.zeros(n, dtype=np.uint8),
            link_level=np.zeros((n, max(len(scenario.brands), 1)), dtype=np.int8),
            referred=np.full(n, -1, dtype=np.int8),
            referred_by_partner=np.zeros(n, dtype=bool),
            usual_brand=np.full(n, -1, dtype=np.int8),
            variant=draw_variants(c.variants, c.variant_zipf, n, rng),
        )

    def reset(self, who: np.ndarray) -> None:
        """Clear the habits of the slots in ``who``: nothing bought, no customer ties, offline."""
        self.online[who] = False
        self.mobile[who] = False
        self.customer_of[who] = 0
        self.won_this_year[who] = 0
        self.bought_last_year[who] = 0
        self.bought_this_year[who] = 0
        self.store_last_year[who] = -1
        self.store_this_year[who] = -1
        self.came_back[who] = False
        self.shop[who] = -1
        self.shop_last_year[who] = -1
        self.shop_this_year[who] = -1
        self.shop_came_back[who] = False
        self.shop_first_tick[who] = -1
        self.sated_until[who] = 0
        self.preferred_channel[who] = NO_CHANNEL
        self.member_store[who] = 0
        self.member_online[who] = 0
        self.brand_last_year[who] = 0
        self.brand_this_year[who] = 0
        self.link_level[who] = 0
        self.referred[who] = -1
        self.referred_by_partner[who] = False
        self.usual_brand[who] = -1

    @property
    def degree(self) -> np.ndarray:
        """Number of contacts of each consumer."""
        return np.diff(self.contacts_indptr)

    def tell_contacts(self, who: np.ndarray, change: int) -> None:
        """The contacts of ``who`` learn that they started (+1) or stopped (-1) shopping online."""
        np.add.at(
            self.adopted_contacts,
            network.contacts_of(self.contacts_indptr, self.contacts, who),
            change,
        )

    def arrive(self, who: np.ndarray, change: int) -> None:
        """The contacts of ``who`` learn that they entered (+1) or left (-1) the market."""
        np.add.at(
            self.alive_contacts,
            network.contacts_of(self.contacts_indptr, self.contacts, who),
            change,
        )

    @property
    def nbytes(self) -> int:
        """Bytes held by the consumer columns."""
        return sum(getattr(self, f).nbytes for f in self.__dataclass_fields__)


def draw_trust(
    mean: float, spread: float, shape: tuple[int, ...] | int, rng: np.random.Generator
) -> np.ndarray:
    """Initial trust: normal around ``mean`` with standard deviation ``spread``, within [0, 1]."""
    values = rng.normal(mean, spread, size=shape).astype(np.float32)
    return np.clip(values, 0.0, 1.0, out=values)


def draw_need_rates(mean: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Weekly need chances: gamma distributed with the given mean and coefficient of variation.

    Some people buy a category every few weeks, many once a year or less; ``cv = 0`` gives
    everyone the mean. Rates are capped at 1.
    """
    if cv == 0:
        return np.full(n, mean, dtype=np.float32)
    shape = 1.0 / cv**2
    rates = rng.gamma(shape, mean / shape, size=n)
    return np.minimum(rates, 1.0).astype(np.float32)


def variant_popularity(variants: int, zipf: float) -> np.ndarray:
    """Share of consumers who need each variant: ``1 / v^zipf``, normalised."""
    weight = 1.0 / np.arange(1, variants + 1) ** zipf
    return weight / weight.sum()


def draw_variants(variants: int, zipf: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """The variant each of ``n`` consumers needs (no draw at all with a single variant)."""
    if variants == 1:
        return np.zeros(n, dtype=np.int8)
    cumulative = np.cumsum(variant_popularity(variants, zipf))
    picked = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
    return np.minimum(picked, variants - 1).astype(np.int8)


def draw_large_accounts(share: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Which of ``n`` consumers are large accounts (no draw at all when the share is 0)."""
    if share <= 0:
        return np.zeros(n, dtype=bool)
    return rng.random(n) < share


def count_in(contacts: np.ndarray, who: np.ndarray, indptr: np.ndarray, n: int) -> np.ndarray:
    """For every consumer, how many of the people in ``who`` count it as a contact."""
    reached = network.contacts_of(indptr, contacts, who)
    return np.bincount(reached, minlength=n).astype(np.int32)
