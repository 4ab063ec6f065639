-- A product's reviews of one rating, most helpful first: the index the rating filter reads
-- with the `helpful` order (the newest order within a rating reads reviews_rating).
CREATE INDEX reviews_rating_helpful ON reviews (site_id, product_id, status, rating, helpful_count, created_at, id);
