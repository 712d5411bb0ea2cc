export interface PageInfo {
  page: number;
  pageSize: number;
  total: number;
}

/** Previous/next links that keep the current filters. */
export function paginationLinks(basePath: string, filters: object, info: PageInfo) {
  const pages = Math.max(1, Math.ceil(info.total / info.pageSize));
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '' && key !== 'page') params.set(key, String(value));
    }
    params.set('page', String(page));
    return `${basePath}?${params.toString()}`;
  };
  return {
    page: info.page,
    pages,
    previous: info.page > 1 ? link(info.page - 1) : null,
    next: info.page < pages ? link(info.page + 1) : null,
  };
}
