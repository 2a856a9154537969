"""Stock between a brand and the stores: produced to orders (pull) or to a forecast (push).

A dealer sells its stores' goods from its warehouse. How the warehouse is filled is the brand's
production mode:

- **pull** (produce to orders): each month the dealer orders what its stores bought plus what
  tops its stock up to ``cover`` months of that month's sales (an order-up-to policy), and the
  brand makes what was ordered;
- **push** (produce to a forecast): once a year the brand plans next year's production for
  each dealer from the dealer's sales it has seen (this year's, plus the average yearly change
  since the first year: the drift forecast), less the stock the dealer still holds, and ships
  it in twelve equal monthly lots that the dealer must take. When a month's sales outrun the
  stock, the dealer orders the rest (made to order).

Both modes hold ``cover`` months of sales when demand is as expected. Push also holds the
forecast's error: when the trend bends, as when demand moves online, the plan runs ahead of the
sales and unsold stock piles up at the dealers, who pay to hold it (the bullwhip of a forecast
made upstream of the sales: Lee, Padmanabhan and Whang 1997, "Information distortion in a
supply chain: the bullwhip effect", *Management Science* 43(4); the drift forecast: Hyndman and
Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., section 5.2).

A brand that shares its inventory across channels serves its online orders from the stock its
dealers hold beyond their cover, buying it back at what the dealer paid: push's surplus then
drains into online sales instead of piling up.

Holding stock costs ``holding_cost`` per yuan of stock a year (capital, storage, markdowns;
inventory carrying costs are commonly put at 20-30 % of the stock's value a year).
"""

from __future__ import annotations

import numpy as np


def pull_order(sold: np.ndarray, stock: np.ndarray, cover: float) -> np.ndarray:
    """Pull: a dealer orders what it sold plus what tops its stock up to ``cover`` months.

    ``order = max(0, sold * (1 + cover) - stock)``, baskets (``stock`` is what is left after
    this month's sales were taken from it, plus what they took beyond it).

    Args:
        sold: Baskets of each brand the dealer's stores bought this month.
        stock: Baskets of each brand the dealer held at the start of the month.
        cover: Months of sales the dealer keeps in stock.

    Returns:
        Baskets of each brand delivered this month.
    """
    return np.maximum(0.0, sold * (1.0 + cover) - stock)


def push_forecast(this_year: np.ndarray, first_year: np.ndarray, years: int) -> np.ndarray:
    """Push: next year's sales of a brand at a dealer, by the drift of its sales so far.

    The brand extends the average yearly change since the first year it saw:
    ``forecast = max(0, S_T + (S_T - S_1) / (T - 1))`` after ``T`` years of sales (``S_T``
    after one). Years of growth keep the forecast rising for years after the sales turn down.

    Args:
        this_year: Baskets the dealer's stores bought this year, per brand.
        first_year: Baskets they bought in the first year, per brand.
        years: Years of sales seen, this one included.

    Returns:
        The forecast of next year's baskets, per brand.
    """
    if years < 2:
        return this_year.copy()
    return np.maximum(0.0, this_year + (this_year - first_year) / (years - 1))


def push_lot(forecast: np.ndarray, stock: np.ndarray, cover: float) -> np.ndarray:
    """Push: the monthly lot a brand ships to a dealer next year, baskets.

    The year's production is the forecast plus ``cover`` months of it, less the stock the
    dealer holds now: ``lot = max(0, F * (1 + cover / 12) - stock) / 12``.

    Args:
        forecast: Next year's forecast sales at the dealer, baskets per brand.
        stock: Baskets the dealer holds at the year's end, per brand.
        cover: Months of sales the dealer is meant to keep in stock.

    Returns:
        Baskets of each brand shipped every month of next year.
    """
    return np.maximum(0.0, forecast * (1.0 + cover / 12.0) - stock) / 12.0


def push_delivery(lot: np.ndarray, sold: np.ndarray, stock: np.ndarray) -> np.ndarray:
    """Push: this month's lot, or what the sales took beyond the stock if that is more.

    ``delivery = max(lot, sold - stock)``: the dealer takes the lot and never runs short.

    Args:
        lot: The planned monthly lot, baskets per brand.
        sold: Baskets of each brand the dealer's stores bought this month.
        stock: Baskets the dealer held at the start of the month, per brand.

    Returns:
        Baskets of each brand delivered this month.
    """
    return np.maximum(lot, sold - stock)


def shared_take(
    online: np.ndarray, stock: np.ndarray, sold: np.ndarray, cover: float
) -> np.ndarray:
    """Shared inventory: the online orders a dealer's stock serves beyond its cover, baskets.

    ``take = min(online, max(0, stock - cover * sold))``: the brand's online orders from the
    dealer's region come out of what the dealer holds beyond ``cover`` months of its stores'
    sales (under pull there is nothing beyond it).

    Args:
        online: The brand's online orders from the dealer's region this month, baskets.
        stock: Baskets the dealer holds after this month's sales and deliveries.
        sold: Baskets its stores bought this month.
        cover: Months of sales the dealer keeps in stock.

    Returns:
        Baskets taken from the stock for online orders, per brand.
    """
    return np.minimum(online, np.maximum(0.0, stock - cover * sold))


def holding_cost(value: float, rate: float) -> float:
    """A month's cost of holding stock worth ``value`` yuan at ``rate`` per yuan a year."""
    return value * rate / 12.0
